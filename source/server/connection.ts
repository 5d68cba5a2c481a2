import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusEvent } from '../domain/bus.js';
import type { Logger } from '../domain/logger.js';
import type { ChatStore } from '../domain/store.js';
import type { MessageRecord } from '../domain/types.js';
import { FrameDecoder, type DecodeEvent } from '../protocol/decoder.js';
import { errorResponse } from '../protocol/encoder.js';
import { ProtocolError } from '../protocol/errors.js';
import type { RawFrame, Request } from '../protocol/frame.js';
import { parseRequest } from '../protocol/request.js';
import { closesConnection, Status } from '../protocol/status.js';
import { BoundSession } from './bound-session.js';
import type { Services } from './commands/command.js';
import { answer, verbLabel, type DispatchContext } from './commands/dispatch.js';
import type { DeliverySink, DeliverySource } from './delivery-pump.js';
import { malformedVerb } from './instruments.js';
import type { BoundConnection } from './online-registry.js';
import type { ServerOptions } from './options.js';
import type { OutputWatch, StallListener } from './output-watch.js';
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

/** Why the server closed or dropped a connection, as logged. */
type DropReason =
	| 'output-stall'
	| 'output-overflow'
	| 'frame-timeout'
	| 'oversized-frame'
	| 'bad-frame'
	| 'malformed-frames';

// Frames handled before yielding to other connections: one flooder gets a bounded slice.
const framesPerSlice = 32;
// Parsed frames waiting to run; past this the socket stops reading until they are done.
const maxQueuedFrames = 256;
// Pushes pause while this much output is unsent, well below the cap that drops a connection.
const pushHighWaterBytes = 64 * 1024;
// The next request waits while more output than this is unsent: replies are built one at a time
// as the reader takes them, so a pipeline of large requests is never all turned into output.
const replyGateBytes = 256 * 1024;
// A connection is closed at its this-many-th malformed frame.
export const maxMalformedFrames = 10;
// A longer Request-Id is refused, never echoed back.
export const maxRequestIdLength = 128;
// After its last response, a connection the server closes is cut this long after, read or not.
const closeLingerMs = 2000;

// The socket listeners are shared by every connection, which they find through the socket: a
// connection makes no closure of its own (10,000 idle connections are 10,000 of each).
const connectionOf = new WeakMap<Socket, Connection>();
const ignore = () => undefined;

/** One client socket: its decoder, its session, and the single path by which it is written to. */
export class Connection implements BoundConnection, DeliverySink, StallListener, OutboxTarget {
	readonly id: string;
	readonly #socket: Socket;
	readonly #deps: ConnectionDependencies;
	readonly #decoder: FrameDecoder;
	/** Undefined when the rate limit is off. */
	readonly #limiter: RateLimiter | undefined;
	readonly #session: BoundSession;
	readonly #outbox: ResponseOutbox;
	/** Parsed frames waiting to run, from #queueHead on; undefined while there are none. */
	#queue: DecodeEvent[] | undefined;
	#queueHead = 0;
	#processing = false;
	#frameTimer: NodeJS.Timeout | undefined;
	#closing = false;
	#peerEnded = false;
	#corked = false;
	#malformedFrames = 0;
	/** Logged once per connection when it first runs past its rate limit. */
	#rateLimited = false;
	/** socket.bytesWritten just after the last reply was written: its unsent part is a reply's. */
	#replyEnd = 0;
	/** Resolves the wait for room in the output (see #outputRoom). */
	#outputWaiter: (() => void) | undefined;

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
		if (!connection.#processing) connection.#finishAfterResponses();
	}

	static #onDrain(this: Socket): void {
		const connection = connectionOf.get(this);
		if (!connection) return;
		connection.#deps.outputWatch.drained(connection);
		connection.#wakeOutputWaiter();
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

	/** Stops reading and closes once pending responses are written. */
	shutdown(): Promise<void> {
		this.#socket.pause();
		this.#finishAfterResponses();
		return new Promise((resolve) => this.#outbox.afterResponses(resolve));
	}

	destroy(): void {
		this.#socket.destroy();
	}

	// BoundConnection, DeliverySink, StallListener, OutboxTarget --------------------------------

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
		this.#write(notifyFrame(event), true);
	}

	deliver(message: MessageRecord): void {
		if (this.#write(messageFrame(message), true)) {
			this.#deps.options.instruments.messageDelivered();
		}
	}

	canDeliver(): boolean {
		return this.#socket.writableLength < pushHighWaterBytes && !this.closed;
	}

	outputStalled(): void {
		const seconds = Math.round(this.#deps.options.outputStallTimeoutMs / 1000);
		this.#drop('output-stall', `its output has not drained for ${seconds} s`);
	}

	writeResponse(bytes: Buffer): void {
		this.#write(bytes, false);
		if (!this.#outputBacklogged()) this.#wakeOutputWaiter();
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
		connection.#fail(
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
					if (event.error.fatal) this.#fail(event.error);
					else this.#malformed(event.error, undefined);
				} else {
					const outcome = this.#handle(event.frame);
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
			if (this.#peerEnded) this.#finishAfterResponses();
			else if (!this.#closing) this.#resumeReading();
		}
	}

	#logRateLimited(): void {
		this.#rateLimited = true;
		const user = this.user;
		const { rateLimit } = this.#deps.options;
		this.#deps.noisyLog.warn(
			{ event: 'rate-limited', address: this.#peer, ...(user ? { user } : {}), rate: rateLimit },
			`a connection${user ? ` of ${user}` : ''} from ${this.#peer} runs past ${rateLimit} requests a second; reading it slower`,
		);
	}

	/** Output unsent or waiting to be written is past the gate: the next request waits. */
	#outputBacklogged(): boolean {
		return this.#socket.writableLength + this.#outbox.waitingBytes > replyGateBytes;
	}

	/** Waits, not reading, until the reader took enough of the output (or the socket is gone). */
	async #outputRoom(): Promise<void> {
		while (this.#active && this.#outputBacklogged()) {
			this.#pauseReading();
			await new Promise<void>((resolve) => (this.#outputWaiter = resolve));
		}
	}

	#wakeOutputWaiter(): void {
		const waiter = this.#outputWaiter;
		this.#outputWaiter = undefined;
		waiter?.();
	}

	/** Handles one frame; a promise while its command runs. */
	#handle(frame: RawFrame): Promise<void> | undefined {
		const requestId = frame.headers.get('request-id');
		if (requestId !== undefined && requestId.length > maxRequestIdLength) {
			const message = `Request-Id is longer than ${maxRequestIdLength} characters`;
			this.#malformed(new ProtocolError(Status.badRequest, message), undefined);
			return undefined;
		}
		const parsed = parseRequest(frame);
		if (parsed instanceof ProtocolError) {
			// The head parsed, so its Request-Id can still be echoed (e.g. on a 505).
			if (parsed.status === Status.versionNotSupported) {
				this.#deps.options.instruments.requestAnswered(malformedVerb, parsed.status);
				this.#outbox.respond(requestId, errorResponse(parsed.status, parsed.message));
			} else {
				this.#malformed(parsed, requestId);
			}
			return undefined;
		}
		return this.#answer(parsed, requestId);
	}

	/** Answers a malformed frame; the connection closes at its maxMalformedFrames-th. */
	#malformed(error: ProtocolError, requestId: string | undefined): void {
		const count = ++this.#malformedFrames;
		this.#deps.options.instruments.requestAnswered(malformedVerb, error.status);
		if (count < maxMalformedFrames) {
			this.#outbox.respond(requestId, errorResponse(error.status, error.message));
			return;
		}
		const message = `${error.message}; closing the connection after ${count} malformed frames`;
		this.#logClosing('connection-closed', 'malformed-frames', 'closing a connection', message);
		this.#outbox.respond(requestId, errorResponse(error.status, message));
		this.#finishAfterResponses();
	}

	async #answer(request: Request, requestId: string | undefined): Promise<void> {
		const response = await answer(request, this.#dispatchContext());
		this.#deps.options.instruments.requestAnswered(verbLabel(request.verb), response.status);
		this.#outbox.respond(requestId, response, this.#deps.store.whenDurable());
		const pump = this.#session.takeDeliveryToStart();
		if (pump) this.#outbox.afterResponses(() => pump.start());
	}

	#dispatchContext(): DispatchContext {
		const { services, options } = this.#deps;
		return { services, session: this.#session, clock: options.clock, log: this.#deps.noisyLog };
	}

	// Writing ----------------------------------------------------------------------------------

	/**
	 * The one write path. The output cap counts pushes, not a reply being written: replies are
	 * gated one at a time (replyGateBytes) and bounded in size, so a reader taking a large reply
	 * keeps its connection, while one that lets pushes pile up past the cap is dropped.
	 */
	/** False when the bytes were not written (the socket is gone, or was just dropped). */
	#write(bytes: Buffer, push: boolean): boolean {
		const socket = this.#socket;
		if (socket.destroyed || !socket.writable) return false;
		if (!this.#corked) {
			// One syscall per tick instead of one per frame.
			this.#corked = true;
			socket.cork();
			process.nextTick(Connection.#uncork, this);
		}
		if (!push) {
			socket.write(bytes);
			this.#replyEnd = socket.bytesWritten;
			return true;
		}
		const { maxOutputBytes } = this.#deps.options;
		const flushed = socket.bytesWritten - socket.writableLength;
		const unsentReply = Math.max(0, this.#replyEnd - flushed);
		if (socket.writableLength - unsentReply > maxOutputBytes) {
			this.#drop('output-overflow', `over ${maxOutputBytes} bytes of pushes to it are unread`);
			return false;
		}
		socket.write(bytes);
		return true;
	}

	static #uncork(connection: Connection): void {
		connection.#corked = false;
		const socket = connection.#socket;
		socket.uncork();
		// What the kernel did not take now is watched until it drains.
		if (!socket.destroyed) connection.#deps.outputWatch.wrote(socket, connection);
	}

	/** Drops a connection that does not read; its queue is durable, so nothing is lost. */
	#drop(reason: DropReason, why: string): void {
		if (this.#socket.destroyed) return;
		this.#logClosing('connection-dropped', reason, `dropping a connection`, why);
		this.#socket.destroy();
	}

	/** One line naming the address and the user (never the session); rate-limited per reason. */
	#logClosing(event: string, reason: DropReason, what: string, why: string): void {
		const user = this.user;
		const who = user ? ` of ${user}` : '';
		this.#deps.noisyLog.warn(
			{ event, reason, address: this.#peer, ...(user ? { user } : {}) },
			`${what}${who} from ${this.#peer}: ${why}`,
		);
	}

	get #peer(): string {
		return this.#socket.remoteAddress ?? 'an unknown address';
	}

	// Closing ----------------------------------------------------------------------------------

	#fail(error: ProtocolError): void {
		if (this.#closing) return;
		this.#deps.options.instruments.requestAnswered(malformedVerb, error.status);
		this.#outbox.respond(undefined, errorResponse(error.status, error.message));
		if (error.fatal || closesConnection(error.status)) {
			this.#logClosing(
				'connection-closed',
				closingReason(error),
				'closing a connection',
				error.message,
			);
			this.#finishAfterResponses();
		}
	}

	#finishAfterResponses(): void {
		if (this.#closing) return;
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#wakeOutputWaiter();
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
		this.#wakeOutputWaiter();
		clearTimeout(this.#frameTimer);
		this.#deps.outputWatch.drained(this);
		this.#session.unbind();
		this.#deps.closed(this);
	}
}

/** What the log calls a protocol error that ends a connection. */
function closingReason(error: ProtocolError): DropReason {
	if (error.status === Status.requestTimeout) return 'frame-timeout';
	if (error.status === Status.payloadTooLarge || error.status === Status.headerFieldsTooLarge) {
		return 'oversized-frame';
	}
	return 'bad-frame';
}
