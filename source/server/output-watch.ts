import type { Socket } from 'node:net';

/** What the watch tells when a socket's output stalls. */
export interface StallListener {
	outputStalled(): void;
}

type Watched = {
	readonly socket: Socket;
	/** Bytes the socket had handed to the kernel when the watch began. */
	readonly flushedAtStart: number;
	readonly deadline: number;
};

/**
 * Notices peers that stopped reading: output waiting in a socket that makes no progress for
 * `stallMs` (IRC servers call it a send-queue timeout). A slow reader that keeps reading is fine.
 *
 * One watch serves every connection of a server with one timer: only sockets with output waiting
 * are watched, in order of their deadline (every watch lasts `stallMs`), so the timer is set for
 * the first of them; an idle connection costs nothing.
 */
export class OutputWatch {
	readonly #watched = new Map<StallListener, Watched>();
	#timer: NodeJS.Timeout | undefined;
	readonly #check = () => this.#checkDue();

	constructor(readonly stallMs: number) {}

	/** Call after writing: starts watching the socket if output is left waiting. */
	wrote(socket: Socket, listener: StallListener): void {
		if (this.stallMs <= 0 || socket.writableLength === 0 || this.#watched.has(listener)) return;
		this.#watch(listener, socket, performance.now());
		// Every other watch ends sooner, so a timer already set comes first.
		this.#timer ??= this.#schedule(this.stallMs);
	}

	/** The socket drained: nothing is waiting any more. */
	drained(listener: StallListener): void {
		this.#watched.delete(listener);
	}

	/** How many sockets are watched now (for tests). */
	get watching(): number {
		return this.#watched.size;
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#watched.clear();
	}

	#watch(listener: StallListener, socket: Socket, now: number): void {
		const deadline = now + this.stallMs;
		this.#watched.set(listener, { socket, flushedAtStart: flushed(socket), deadline });
	}

	#schedule(delayMs: number): NodeJS.Timeout {
		return setTimeout(this.#check, Math.max(0, delayMs)).unref();
	}

	#checkDue(): void {
		this.#timer = undefined;
		const now = performance.now();
		for (const [listener, watched] of this.#watched) {
			if (watched.deadline > now) break;
			this.#watched.delete(listener);
			const { socket } = watched;
			if (socket.destroyed || socket.writableLength === 0) continue;
			// Progress starts a new watch, which goes to the end of the deadline order.
			if (flushed(socket) > watched.flushedAtStart) this.#watch(listener, socket, now);
			else listener.outputStalled();
		}
		const first = this.#watched.values().next();
		if (!first.done) this.#timer ??= this.#schedule(first.value.deadline - now);
	}
}

/** Bytes handed to the kernel so far (bytesWritten also counts what is still buffered). */
function flushed(socket: Socket): number {
	return socket.bytesWritten - socket.writableLength;
}
