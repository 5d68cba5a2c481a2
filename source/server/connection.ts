import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusEvent } from '../domain/bus.js';
import type { Logger } from '../domain/logger.js';
import type { ChatStore } from '../domain/store.js';
import type { MessageRecord } from '../domain/types.js';
import { FrameDecoder, type DecodeEvent } from '../protocol/decoder.js';
import { ProtocolError } from '../protocol/errors.js';
import { Status } from '../protocol/status.js';
import { BoundSession } from './bound-session.js';
import type { Services } from './commands/command.js';
import { logRateLimited } from './connection-log.js';
import { ConnectionOutput } from './connection-output.js';
import type { DeliverySink, DeliverySource } from './delivery-pump.js';
import { FrameAnswerer, type AnswerTarget } from './frame-answerer.js';
import type { BoundConnection } from './online-registry.js';
import type { ServerOptions } from './options.js';
import type { OutputWatch } from './output-watch.js';
import { messageFrame, notifyFrame } from './push-frames.js';
import { RateLimiter } from './rate-limiter.js';
import { ResponseOutbox, type OutboxTarget } from './response-outbox.js';

/** What every connection of a server shares: one object, made once per server. */
export type ConnectionDependencies = {
	readonly services: Services;
	readonly store: ChatStore;
	readonly options: ServerOptions;
	/** Reports that storage failed; the server logs it once and decides what follows. */
	readonly storageFailed: (error: Error) => void;
	/** Watches the output of every connection for a reader that stopped reading. */
	readonly outputWatch: OutputWatch;
	/** Where delivery pumps read users' queues. */
	readonly delivery: DeliverySource;
	/** Told once, when the connection's socket has closed. */
	readonly closed: (connection: Connection) => void;
	/** A new connection id, unique across every node of the cluster. */
	readonly connectionId: () => string;
	/** Where refused and dropped connections are logged: rate-limited, since a flood makes many. */
	readonly noisyLog: Logger;
};

// Frames handled before yielding to other connections: one flooder gets a bounded slice.
const framesPerSlice = 32;
// Parsed frames waiting to run; past this the socket stops reading until they are done.
const maxQueuedFrames = 256;
// After its last response, a connection the server closes is cut this long after, read or not.
const closeLingerMs = 2000;

// The socket listeners are shared by every connection, which they find through the socket: a
// connection makes no closure of its own (10,000 idle connections are 10,000 of each).
const connectionOf = new WeakMap<Socket, Connection>();
const ignore = () => undefined;

/**
 * One client socket: reads its frames at the pace the rate limit and the reader of its output
 * allow, has them answered in order, and closes it. Its session, its answering and its output
 * are objects of their own.
 */
export class Connection implements BoundConnection, DeliverySink, OutboxTarget, AnswerTarget {
	readonly id: string;
	readonly #socket: Socket;
	readonly #deps: ConnectionDependencies;
	readonly #decoder: FrameDecoder;
	/** Undefined when the rate limit is off. */
	readonly #limiter: RateLimiter | undefined;
	readonly #session: BoundSession;
	readonly #outbox: ResponseOutbox;
	readonly #output: ConnectionOutput;
	readonly #answerer: FrameAnswerer;
	/** Parsed frames waiting to run, from #queueHead on; undefined while there are none. */
	#queue: DecodeEvent[] | undefined;
	#queueHead = 0;
	#processing = false;
	#frameTimer: NodeJS.Timeout | undefined;
	#closing = false;
	#peerEnded = false;
	/** Logged once per connection when it first runs past its rate limit. */
	#rateLimited = false;

	constructor(socket: Socket, deps: ConnectionDependencies) {
		this.#socket = socket;
		this.#deps = deps;
		this.id = deps.connectionId();
		const { options } = deps;
		this.#decoder = new FrameDecoder({
			maxHeadBytes: options.maxHeadBytes,
			maxBodyBytes: options.maxBodyBytes,
		});
		this.#limiter =
			options.rateLimit > 0
				? new RateLimiter(options.rateLimit, options.rateBurst, options.clock)
				: undefined;
		this.#session = new BoundSession(this, {
			online: deps.services.online,
			delivery: deps.delivery,
			clock: options.clock,
		});
		this.#outbox = new ResponseOutbox(this);
		this.#output = new ConnectionOutput(socket, this, deps);
		this.#answerer = new FrameAnswerer(this, this.#session, this.#outbox, deps);
		connectionOf.set(socket, this);
		socket.setNoDelay(true);
		socket.on('data', Connection.#onData);
		socket.on('end', Connection.#onEnd);
		socket.on('drain', Connection.#onDrain);
		socket.on('error', ignore);
		socket.on('close', Connection.#onClose);
	}

	static #onData(this: Socket, chunk: Buffer): void {
		const connection = connectionOf.get(this);
		if (connection) connection.#read(chunk);
	}

	static #onEnd(this: Socket): void {
		const connection = connectionOf.get(this);
		if (!connection) return;
		connection.#peerEnded = true;
		if (!connection.#processing) connection.closeAfterResponses();
	}

	static #onDrain(this: Socket): void {
		const connection = connectionOf.get(this);
		if (!connection) return;
		connection.#output.drained();
		connection.#session.writable();
	}

	static #onClose(this: Socket): void {
		const connection = connectionOf.get(this);
		if (connection) connection.#closed();
	}

	get user(): string | undefined {
		return this.#session.user;
	}

	get sessionId(): string | undefined {
		return this.#session.sessionId;
	}

	get closed(): boolean {
		return this.#closing || this.#socket.destroyed;
	}

	/** The peer's address, as the logs name it. */
	get address(): string {
		return this.#socket.remoteAddress ?? 'an unknown address';
	}

	/** Stops reading and closes once pending responses are written. */
	shutdown(): Promise<void> {
		this.#socket.pause();
		this.closeAfterResponses();
		return new Promise((resolve) => this.#outbox.afterResponses(resolve));
	}

	destroy(): void {
		this.#socket.destroy();
	}

	// BoundConnection, DeliverySink, OutboxTarget ----------------------------------------------

	unbind(): void {
		this.#session.unbind();
	}

	offer(message: MessageRecord, own: boolean): void {
		this.#session.offer(message, own);
	}

	catchUp(): void {
		this.#session.catchUp();
	}

	notify(event: Extract<BusEvent, { type: 'notify' }>): void {
		// A typing notice is stale in seconds: a reader that is behind does not get it (§7.5).
		if (event.kind === 'typing' && !this.canDeliver()) return;
		this.#output.write(notifyFrame(event), true);
	}

	deliver(message: MessageRecord): void {
		if (this.#output.write(messageFrame(message), true)) {
			this.#deps.options.instruments.messageDelivered();
		}
	}

	canDeliver(): boolean {
		return this.#output.roomForPushes && !this.closed;
	}

	writeResponse(bytes: Buffer): void {
		this.#output.write(bytes, false);
		if (!this.#outputBacklogged()) this.#output.wakeRoomWaiter();
	}

	storageFailed(error: Error): void {
		this.#deps.storageFailed(error);
	}

	// Reading ----------------------------------------------------------------------------------

	#read(chunk: Buffer): void {
		if (this.#closing) return;
		const queue = this.#queue ?? [];
		this.#decoder.pushInto(chunk, queue);
		this.#armFrameTimer();
		if (queue.length === this.#queueHead) return;
		this.#queue = queue;
		if (queue.length - this.#queueHead > maxQueuedFrames) this.#pauseReading();
		if (!this.#processing) void this.#process();
	}

	/**
	 * Stops reading. The frame timer stops too: while the server does not read, an unfinished
	 * frame is the server's doing, not the client's.
	 */
	#pauseReading(): void {
		this.#socket.pause();
		clearTimeout(this.#frameTimer);
		this.#frameTimer = undefined;
	}

	#resumeReading(): void {
		this.#socket.resume();
		this.#armFrameTimer();
	}

	#armFrameTimer(): void {
		if (!this.#decoder.hasPartialFrame || this.#decoder.failed) {
			clearTimeout(this.#frameTimer);
			this.#frameTimer = undefined;
			return;
		}
		this.#frameTimer ??= setTimeout(
			Connection.#frameTimedOut,
			this.#deps.options.frameTimeoutMs,
			this,
		);
	}

	static #frameTimedOut(connection: Connection): void {
		const seconds = Math.round(connection.#deps.options.frameTimeoutMs / 1000);
		connection.#failInput(
			new ProtocolError(Status.requestTimeout, `frame left incomplete for over ${seconds} s`, true),
		);
	}

	/** Still worth working for: not closing, socket not gone. */
	get #active(): boolean {
		return !this.#closing && !this.#socket.destroyed;
	}

	async #process(): Promise<void> {
		this.#processing = true;
		let handled = 0;
		try {
			// #read appends to this same array while frames are handled.
			const queue = this.#queue ?? [];
			while (this.#queueHead < queue.length && this.#active) {
				// Every frame, malformed or not, costs a token: past its rate a connection is read
				// no further until it has one again, so its later requests wait rather than fail.
				for (let waitMs = this.#limiter?.delayMs() ?? 0; waitMs > 0;) {
					if (!this.#rateLimited) this.#logRateLimited();
					this.#pauseReading();
					await sleep(waitMs);
					waitMs = this.#active ? this.#limiter!.delayMs() : 0;
				}
				if (this.#outputBacklogged()) await this.#outputRoom();
				if (!this.#active) break;
				const event = queue[this.#queueHead++]!;
				if (event.type === 'error') {
					if (event.error.fatal) this.#failInput(event.error);
					else this.#answerer.answerMalformed(event.error, undefined);
				} else {
					const outcome = this.#answerer.answerFrame(event.frame);
					if (outcome) await outcome;
				}
				if (++handled % framesPerSlice === 0) {
					await new Promise((resolve) => setImmediate(resolve));
				}
			}
		} finally {
			const queue = this.#queue;
			// An idle connection keeps no queue; a closed one drops what it did not run.
			if (queue && this.#active)
				this.#queue = this.#queueHead < queue.length ? queue.slice(this.#queueHead) : undefined;
			else this.#queue = undefined;
			this.#queueHead = 0;
			this.#processing = false;
			if (this.#peerEnded) this.closeAfterResponses();
			else if (!this.#closing) this.#resumeReading();
		}
	}

	#logRateLimited(): void {
		this.#rateLimited = true;
		logRateLimited(this.#deps.noisyLog, this, this.#deps.options.rateLimit);
	}

	/** Output unsent or waiting to be written is past the gate: the next request waits. */
	#outputBacklogged(): boolean {
		return this.#output.backlogged(this.#outbox.waitingBytes);
	}

	/** Waits, not reading, until the reader took enough of the output (or the socket is gone). */
	async #outputRoom(): Promise<void> {
		while (this.#active && this.#outputBacklogged()) {
			this.#pauseReading();
			await this.#output.waitForRoom();
		}
	}

	// Closing ----------------------------------------------------------------------------------

	#failInput(error: ProtocolError): void {
		if (this.#closing) return;
		this.#answerer.answerInputError(error);
	}

	/** Takes no more frames, and closes once the responses so far are written. */
	closeAfterResponses(): void {
		if (this.#closing) return;
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#output.wakeRoomWaiter();
		this.#outbox.afterResponses(() => {
			this.#socket.end();
			// A peer that neither reads nor closes (a flooder the server stopped reading) is cut.
			setTimeout(Connection.#cut, closeLingerMs, this).unref();
		});
	}

	static #cut(connection: Connection): void {
		connection.#socket.destroy();
	}

	#closed(): void {
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#output.drained();
		this.#session.unbind();
		this.#deps.closed(this);
	}
}
