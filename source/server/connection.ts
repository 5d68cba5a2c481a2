import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusEvent } from '../domain/bus.js';
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
import { answer, type DispatchContext } from './commands/dispatch.js';
import type { DeliverySink, DeliverySource } from './delivery-pump.js';
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
};

// Frames handled before yielding to other connections: one flooder gets a bounded slice.
const framesPerSlice = 32;
// Parsed frames waiting to run; past this the socket stops reading until they are done.
const maxQueuedFrames = 256;
// Pushes pause while this much output is unsent, well below the cap that drops a connection.
const pushHighWaterBytes = 64 * 1024;

// The socket listeners are shared by every connection, which they find through the socket: a
// connection makes no closure of its own (10,000 idle connections are 10,000 of each).
const connectionOf = new WeakMap<Socket, Connection>();
const ignore = () => undefined;

/** One client socket: its decoder, its session, and the single path by which it is written to. */
export class Connection implements BoundConnection, DeliverySink, StallListener, OutboxTarget {
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

	constructor(socket: Socket, deps: ConnectionDependencies) {
		this.#socket = socket;
		this.#deps = deps;
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

	offer(message: MessageRecord): void {
		this.#session.offer(message);
	}

	catchUp(): void {
		this.#session.catchUp();
	}

	notify(event: Extract<BusEvent, { type: 'notify' }>): void {
		this.#write(notifyFrame(event));
	}

	deliver(message: MessageRecord): void {
		this.#write(messageFrame(message));
	}

	canDeliver(): boolean {
		return this.#socket.writableLength < pushHighWaterBytes && !this.closed;
	}

	outputStalled(): void {
		const seconds = Math.round(this.#deps.options.outputStallTimeoutMs / 1000);
		this.#drop(`its output has not drained for ${seconds} s`);
	}

	writeResponse(bytes: Buffer): void {
		this.#write(bytes);
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

	async #process(): Promise<void> {
		this.#processing = true;
		let handled = 0;
		try {
			// #read appends to this same array while frames are handled.
			const queue = this.#queue ?? [];
			while (this.#queueHead < queue.length && !this.#closing) {
				const event = queue[this.#queueHead++]!;
				if (event.type === 'error') {
					if (event.error.fatal) this.#fail(event.error);
					else
						this.#outbox.respond(undefined, errorResponse(event.error.status, event.error.message));
				} else {
					const outcome = this.#handle(event.frame);
					const penaltyMs = typeof outcome === 'number' ? outcome : await outcome;
					// A client over its rate is read no further until it has a token again, so a
					// flooder costs the server about `rate` frames a second, 429s included.
					if (penaltyMs > 0) {
						this.#pauseReading();
						await sleep(penaltyMs);
					}
				}
				if (++handled % framesPerSlice === 0) {
					await new Promise((resolve) => setImmediate(resolve));
				}
			}
		} finally {
			const queue = this.#queue;
			// An idle connection keeps no queue.
			if (queue)
				this.#queue = this.#queueHead < queue.length ? queue.slice(this.#queueHead) : undefined;
			this.#queueHead = 0;
			this.#processing = false;
			if (this.#peerEnded) this.#finishAfterResponses();
			else if (!this.#closing) this.#resumeReading();
		}
	}

	/**
	 * Handles one frame; gives how long to stop reading when the rate limit was hit, else 0. It is
	 * a number when the frame was answered at once, a promise when a command runs.
	 */
	#handle(frame: RawFrame): number | Promise<number> {
		const parsed = parseRequest(frame);
		if (parsed instanceof ProtocolError) {
			// The head parsed, so its Request-Id can still be echoed (e.g. on a 505).
			const requestId = frame.headers.get('request-id');
			this.#outbox.respond(requestId, errorResponse(parsed.status, parsed.message));
			return 0;
		}
		const requestId = parsed.headers.get('request-id');
		const limiter = this.#limiter;
		const wait = limiter ? limiter.take() : 0;
		if (limiter && wait > 0) {
			this.#outbox.respond(
				requestId,
				errorResponse(Status.tooManyRequests, `rate limit exceeded; retry in ${wait} s`, [
					['Retry-After', String(wait)],
				]),
			);
			return limiter.msUntilToken();
		}
		return this.#answer(parsed, requestId);
	}

	async #answer(request: Request, requestId: string | undefined): Promise<number> {
		const response = await answer(request, this.#dispatchContext());
		this.#outbox.respond(requestId, response, this.#deps.store.whenDurable());
		const pump = this.#session.takeDeliveryToStart();
		if (pump) this.#outbox.afterResponses(() => pump.start());
		return 0;
	}

	#dispatchContext(): DispatchContext {
		const { services, options } = this.#deps;
		return { services, session: this.#session, clock: options.clock, log: options.log };
	}

	// Writing ----------------------------------------------------------------------------------

	#write(bytes: Buffer): void {
		const socket = this.#socket;
		if (socket.destroyed || !socket.writable) return;
		if (!this.#corked) {
			// One syscall per tick instead of one per frame.
			this.#corked = true;
			socket.cork();
			process.nextTick(Connection.#uncork, this);
		}
		// Checked before writing, so one large response is fine but a reader that stalls is not.
		const { maxOutputBytes } = this.#deps.options;
		if (socket.writableLength > maxOutputBytes) {
			this.#drop(`over ${maxOutputBytes} bytes of its output are unread`);
			return;
		}
		socket.write(bytes);
	}

	static #uncork(connection: Connection): void {
		connection.#corked = false;
		const socket = connection.#socket;
		socket.uncork();
		// What the kernel did not take now is watched until it drains.
		if (!socket.destroyed) connection.#deps.outputWatch.wrote(socket, connection);
	}

	/** Drops a connection that does not read; its queue is durable, so nothing is lost. */
	#drop(reason: string): void {
		if (this.#socket.destroyed) return;
		const who = this.user ? ` of ${this.user}` : '';
		this.#deps.options.log(`dropping a connection${who} from ${this.#peer}: ${reason}`);
		this.#socket.destroy();
	}

	get #peer(): string {
		return this.#socket.remoteAddress ?? 'an unknown address';
	}

	// Closing ----------------------------------------------------------------------------------

	#fail(error: ProtocolError): void {
		if (this.#closing) return;
		this.#outbox.respond(undefined, errorResponse(error.status, error.message));
		if (error.fatal || closesConnection(error.status)) this.#finishAfterResponses();
	}

	#finishAfterResponses(): void {
		if (this.#closing) return;
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#outbox.afterResponses(() => {
			this.#socket.end();
		});
	}

	#closed(): void {
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#deps.outputWatch.drained(this);
		this.#session.unbind();
		this.#deps.closed(this);
	}
}
