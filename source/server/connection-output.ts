import type { Socket } from 'node:net';
import type { Logger } from '../domain/logger.js';
import { logClosing, type DropReason, type LoggedPeer } from './connection-log.js';
import type { ServerOptions } from './options.js';
import type { OutputWatch, StallListener } from './output-watch.js';

/** What the output of every connection of a server shares. */
export type OutputDependencies = {
	readonly options: ServerOptions;
	/** Watches the output of every connection for a reader that stopped reading. */
	readonly outputWatch: OutputWatch;
	/** Where dropped connections are logged. */
	readonly noisyLog: Logger;
};

// Pushes pause while this much output is unsent, well below the cap that drops a connection. What
// this tick wrote counts apart (it is corked, so unsent by definition, and goes out at the tick's
// end): up to pushBurstBytes of it, one group commit's messages go out together instead of the
// rest being read back from the store once the first 64 KiB are out.
const pushHighWaterBytes = 64 * 1024;
const pushBurstBytes = 256 * 1024;
// The next request waits while more output than this is unsent: replies are built one at a time
// as the reader takes them, so a pipeline of large requests is never all turned into output.
const replyGateBytes = 256 * 1024;

/**
 * The single path by which one connection's socket is written to, and what holds its reader to
 * account: pushes past the output cap, or output that makes no progress, drop the connection.
 */
export class ConnectionOutput implements StallListener {
	readonly #socket: Socket;
	readonly #peer: LoggedPeer;
	readonly #deps: OutputDependencies;
	#corked = false;
	/** Bytes written since the socket was corked this tick. */
	#corkedBytes = 0;
	/**
	 * Bytes handed to socket.write so far. Counted here because socket.bytesWritten copies and
	 * walks the socket's whole write buffer: read per push, a corked turn of k pushes cost k².
	 */
	#written = 0;
	/** #written just after the last reply was written: its unsent part is a reply's. */
	#replyEnd = 0;
	/** Resolves the wait for room in the output (see waitForRoom). */
	#roomWaiter: (() => void) | undefined;

	constructor(socket: Socket, peer: LoggedPeer, deps: OutputDependencies) {
		this.#socket = socket;
		this.#peer = peer;
		this.#deps = deps;
	}

	/** Little enough output is unsent for pushes to go on. */
	get roomForPushes(): boolean {
		const corked = this.#corkedBytes;
		return corked < pushBurstBytes && this.#socket.writableLength - corked < pushHighWaterBytes;
	}

	/** Output unsent, plus `waitingBytes` still to be written, is past the gate: the next request waits. */
	backlogged(waitingBytes: number): boolean {
		return this.#socket.writableLength + waitingBytes > replyGateBytes;
	}

	/** Resolves at the next wakeRoomWaiter: the output drained, or a reply left it under the gate. */
	waitForRoom(): Promise<void> {
		return new Promise<void>((resolve) => (this.#roomWaiter = resolve));
	}

	wakeRoomWaiter(): void {
		const waiter = this.#roomWaiter;
		this.#roomWaiter = undefined;
		waiter?.();
	}

	/** The socket drained or closed: nothing is left to watch, and a waiting request may go on. */
	drained(): void {
		this.#deps.outputWatch.drained(this);
		this.wakeRoomWaiter();
	}

	outputStalled(): void {
		const seconds = Math.round(this.#deps.options.outputStallTimeoutMs / 1000);
		this.#drop('output-stall', `its output has not drained for ${seconds} s`);
	}

	/**
	 * The one write path. The output cap counts pushes, not a reply being written: replies are
	 * gated one at a time (replyGateBytes) and bounded in size, so a reader taking a large reply
	 * keeps its connection, while one that lets pushes pile up past the cap is dropped.
	 * False when the bytes were not written (the socket is gone, or was just dropped).
	 */
	write(bytes: Buffer, push: boolean): boolean {
		const socket = this.#socket;
		if (socket.destroyed || !socket.writable) return false;
		if (!this.#corked) {
			// One syscall per tick instead of one per frame.
			this.#corked = true;
			socket.cork();
			process.nextTick(ConnectionOutput.#uncork, this);
		}
		this.#corkedBytes += bytes.length;
		if (!push) {
			socket.write(bytes);
			this.#written += bytes.length;
			this.#replyEnd = this.#written;
			return true;
		}
		const { maxOutputBytes } = this.#deps.options;
		const flushed = this.#written - socket.writableLength;
		const unsentReply = Math.max(0, this.#replyEnd - flushed);
		if (socket.writableLength - unsentReply > maxOutputBytes) {
			this.#drop('output-overflow', `over ${maxOutputBytes} bytes of pushes to it are unread`);
			return false;
		}
		socket.write(bytes);
		this.#written += bytes.length;
		return true;
	}

	static #uncork(output: ConnectionOutput): void {
		output.#corked = false;
		output.#corkedBytes = 0;
		const socket = output.#socket;
		socket.uncork();
		// What the kernel did not take now is watched until it drains.
		if (!socket.destroyed) output.#deps.outputWatch.wrote(socket, output);
	}

	/** Drops a connection that does not read; its queue is durable, so nothing is lost. */
	#drop(reason: DropReason, why: string): void {
		if (this.#socket.destroyed) return;
		logClosing(this.#deps.noisyLog, this.#peer, 'dropped', reason, why);
		this.#socket.destroy();
	}
}
