import type { Socket } from 'node:net';

/**
 * Notices a peer that stopped reading: output waiting in the socket that makes no progress for
 * `stallMs` (IRC servers call it a send-queue timeout). A slow reader that keeps reading is fine.
 */
export class OutputWatch {
	#timer: NodeJS.Timeout | undefined;
	#flushedAtArm = 0;

	constructor(
		readonly socket: Socket,
		readonly stallMs: number,
		readonly onStall: () => void,
	) {}

	/** Call after each write: starts watching if output is left waiting. */
	wrote(): void {
		if (this.#timer || this.socket.writableLength === 0 || this.stallMs <= 0) return;
		this.#arm();
	}

	/** The socket drained: nothing is waiting any more. */
	drained(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	stop(): void {
		this.drained();
	}

	#arm(): void {
		this.#flushedAtArm = this.#flushed();
		this.#timer = setTimeout(() => this.#check(), this.stallMs);
		this.#timer.unref();
	}

	#check(): void {
		this.#timer = undefined;
		if (this.socket.destroyed || this.socket.writableLength === 0) return;
		if (this.#flushed() > this.#flushedAtArm) this.#arm();
		else this.onStall();
	}

	/** Bytes handed to the kernel so far (bytesWritten also counts what is still buffered). */
	#flushed(): number {
		return this.socket.bytesWritten - this.socket.writableLength;
	}
}
