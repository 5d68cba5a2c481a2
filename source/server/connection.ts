import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusEvent } from '../domain/bus.js';
import { DomainError } from '../domain/errors.js';
import { sameSecret } from '../domain/secrets.js';
import type { ChatStore } from '../domain/store.js';
import type { MessageRecord, SessionRecord } from '../domain/types.js';
import { FrameDecoder, type DecodeEvent } from '../protocol/decoder.js';
import { encodeResponse, errorResponse } from '../protocol/encoder.js';
import { ProtocolError } from '../protocol/errors.js';
import type { OutgoingResponse, RawFrame, Request } from '../protocol/frame.js';
import { parseRequest } from '../protocol/request.js';
import { closesConnection, Status, type StatusCode } from '../protocol/status.js';
import {
	StorageClosedError,
	StorageFailedError,
	StorageUnavailableError,
} from '../domain/storage-errors.js';
import { expiredSessionCookie } from './commands/account-commands.js';
import type { Command, Services, SessionControl } from './commands/command.js';
import { commandTable } from './commands/command-table.js';
import { DeliveryPump, type DeliverySink, type DeliverySource } from './delivery-pump.js';
import type { BoundConnection } from './online-registry.js';
import type { ServerOptions } from './options.js';
import type { OutputWatch, StallListener } from './output-watch.js';
import { messageFrame, notifyFrame } from './push-frames.js';
import { RateLimiter } from './rate-limiter.js';

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

const failureStatus: Record<DomainError['kind'], StatusCode> = {
	'bad-request': Status.badRequest,
	unauthorized: Status.unauthorized,
	forbidden: Status.forbidden,
	'not-found': Status.notFound,
	conflict: Status.conflict,
	'too-many-requests': Status.tooManyRequests,
};

// Frames handled before yielding to other connections: one flooder gets a bounded slice.
const framesPerSlice = 32;
// Parsed frames waiting to run; past this the socket stops reading until they are done.
const maxQueuedFrames = 256;
// Pushes pause while this much output is unsent, well below the cap that drops a connection.
const pushHighWaterBytes = 64 * 1024;
const sessionRecheckMs = 60 * 60 * 1000;

/**
 * A response not yet written because one before it is not (or its barrier has not settled), or
 * an action to run once every response before it is written.
 */
type Pending = {
	response: OutgoingResponse | undefined;
	readonly action: (() => void) | undefined;
	/** Settles once the request's writes are on disk; the response waits for it. */
	readonly barrier: Promise<void> | undefined;
	ready: boolean;
};

// The socket listeners are shared by every connection, which they find through the socket: a
// connection makes no closure of its own (10,000 idle connections are 10,000 of each).
const connectionOf = new WeakMap<Socket, Connection>();
const ignore = () => undefined;

/** One client socket: its decoder, its session, and the single path by which it is written to. */
export class Connection implements SessionControl, BoundConnection, DeliverySink, StallListener {
	readonly #socket: Socket;
	readonly #deps: ConnectionDependencies;
	readonly #decoder: FrameDecoder;
	/** Undefined when the rate limit is off. */
	readonly #limiter: RateLimiter | undefined;
	/** Parsed frames waiting to run, from #queueHead on; undefined while there are none. */
	#queue: DecodeEvent[] | undefined;
	#queueHead = 0;
	#processing = false;
	/** Responses and actions waiting, in request order; undefined while nothing waits. */
	#outbox: Pending[] | undefined;
	#frameTimer: NodeJS.Timeout | undefined;
	// The bound session: its id, when it was last looked up, and its delivery (which knows the user).
	#sessionId: string | undefined;
	#checkedAt = 0;
	#pump: DeliveryPump | undefined;
	#deliveryToStart: DeliveryPump | undefined;
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
		connection.#pump?.writable();
	}

	static #onClose(this: Socket): void {
		const connection = connectionOf.get(this);
		if (connection) connection.#closed();
	}

	get user(): string | undefined {
		return this.#pump?.user;
	}

	get sessionId(): string | undefined {
		return this.#sessionId;
	}

	get closed(): boolean {
		return this.#closing || this.#socket.destroyed;
	}

	/** Stops reading and closes once pending responses are written. */
	shutdown(): Promise<void> {
		this.#socket.pause();
		this.#finishAfterResponses();
		return new Promise((resolve) => this.#afterResponses(resolve));
	}

	destroy(): void {
		this.#socket.destroy();
	}

	// SessionControl ---------------------------------------------------------------------------

	bind(session: SessionRecord): void {
		if (this.#sessionId === session.id) return;
		this.unbind();
		const { services, options, delivery } = this.#deps;
		this.#sessionId = detached(session.id);
		this.#checkedAt = options.clock();
		const pump = new DeliveryPump(session.user, this, delivery);
		this.#pump = pump;
		services.online.add(session.user, this);
		// The queue follows the response of the request that bound the session (see #handle).
		this.#deliveryToStart = pump;
	}

	unbind(): void {
		const pump = this.#pump;
		if (!pump) return;
		this.#pump = undefined;
		this.#sessionId = undefined;
		pump.stop();
		this.#deps.services.online.remove(pump.user, this);
	}

	endSession(): void {
		// The session's other connections, on every node, hear of it on the bus.
		this.unbind();
	}

	deliveredUpTo(): number {
		return this.#pump?.lastSent ?? 0;
	}

	acknowledged(id: number): void {
		this.#pump?.acknowledged(id);
	}

	// BoundConnection, DeliverySink, StallListener ---------------------------------------------

	offer(message: MessageRecord): void {
		this.#pump?.offer(message);
	}

	catchUp(): void {
		this.#pump?.wake();
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
					else this.#respond(undefined, errorResponse(event.error.status, event.error.message));
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
			this.#respond(requestId, errorResponse(parsed.status, parsed.message));
			return 0;
		}
		const requestId = parsed.headers.get('request-id');
		const limiter = this.#limiter;
		const wait = limiter ? limiter.take() : 0;
		if (limiter && wait > 0) {
			this.#respond(
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
		let response: OutgoingResponse;
		try {
			response = await this.#dispatch(request);
		} catch (error) {
			response = this.#errorFor(request, error);
		}
		this.#respond(requestId, response, this.#deps.store.whenDurable());
		const pump = this.#deliveryToStart;
		if (pump) {
			this.#deliveryToStart = undefined;
			this.#afterResponses(() => pump.start());
		}
		return 0;
	}

	#dispatch(request: Request): OutgoingResponse | Promise<OutgoingResponse> {
		const command = commandTable.get(request.verb);
		if (!command) {
			return errorResponse(
				Status.methodNotAllowed,
				`unknown verb ${request.verb.slice(0, 32)}; see docs/protocol.md for the verbs`,
			);
		}
		if (command.usage && request.target === undefined) {
			return errorResponse(Status.badRequest, `${request.verb} needs a target: ${command.usage}`);
		}
		if (!command.ignoresCookie) {
			const resumed = this.#applyCookie(request);
			if (resumed) return this.#runAfter(resumed, command, request);
		}
		return this.#run(command, request);
	}

	async #runAfter(
		resumed: Promise<OutgoingResponse | undefined>,
		command: Command,
		request: Request,
	): Promise<OutgoingResponse> {
		return (await resumed) ?? this.#run(command, request);
	}

	#run(command: Command, request: Request): OutgoingResponse | Promise<OutgoingResponse> {
		const user = this.user;
		if (!command.anonymous && user === undefined) {
			return errorResponse(Status.unauthorized, 'log in first: USE <user> with a Password header');
		}
		const { services } = this.#deps;
		return command.run({ request, session: this, user: user ?? '', services });
	}

	/**
	 * Binds the session named by a Cookie header. Undefined when there is nothing to look up (no
	 * cookie, or the bound session checked within the hour); else the lookup, which gives a 401
	 * for an unknown or expired session.
	 */
	#applyCookie(request: Request): Promise<OutgoingResponse | undefined> | undefined {
		const id = sessionIdFrom(request.headers.get('cookie'));
		if (id === undefined) return undefined;
		const now = this.#deps.options.clock();
		const sameSession = this.#sessionId !== undefined && sameSecret(this.#sessionId, id);
		if (sameSession && now - this.#checkedAt < sessionRecheckMs) return undefined;
		return this.#resume(id, sameSession, now);
	}

	async #resume(
		id: string,
		sameSession: boolean,
		now: number,
	): Promise<OutgoingResponse | undefined> {
		const session = await this.#deps.services.accounts.resume(id);
		if (!session) {
			if (sameSession) this.unbind();
			return errorResponse(
				Status.unauthorized,
				'your session is unknown or expired; log in again',
				[['Set-Cookie', expiredSessionCookie]],
			);
		}
		if (sameSession) this.#checkedAt = now;
		else this.bind(session);
		return undefined;
	}

	#errorFor(request: Request, error: unknown): OutgoingResponse {
		if (error instanceof DomainError) {
			const headers: [string, string][] =
				error.retryAfter === undefined ? [] : [['Retry-After', String(error.retryAfter)]];
			return errorResponse(failureStatus[error.kind], error.message, headers);
		}
		if (error instanceof ProtocolError) return errorResponse(error.status, error.message);
		if (error instanceof StorageFailedError || error instanceof StorageClosedError) {
			return storageFailedResponse;
		}
		if (error instanceof StorageUnavailableError) {
			return errorResponse(
				Status.serviceUnavailable,
				`the database is unreachable right now (${error.message}); nothing was done, retry shortly`,
				[['Retry-After', '1']],
			);
		}
		this.#deps.options.log(`error handling ${request.verb}: ${describe(error)}`);
		return errorResponse(Status.internalError, 'internal server error; the request was not done');
	}

	// Writing ----------------------------------------------------------------------------------

	/** Writes a response after the earlier ones; one with a barrier waits until it settles. */
	#respond(requestId: string | undefined, response: OutgoingResponse, barrier?: Promise<void>) {
		const withId: OutgoingResponse =
			requestId === undefined
				? response
				: { ...response, headers: [...(response.headers ?? []), ['Request-Id', requestId]] };
		const outbox = this.#outbox;
		if (barrier === undefined && outbox === undefined) {
			this.#write(encodeResponse(withId));
			return;
		}
		const ready = barrier === undefined;
		const pending: Pending = { response: withId, action: undefined, barrier, ready };
		const previous = outbox?.[outbox.length - 1];
		if (outbox) outbox.push(pending);
		else this.#outbox = [pending];
		// Requests answered before the same fsync share its promise: the listener that the first
		// of them set marks all of them ready.
		if (barrier && (previous?.barrier !== barrier || previous.ready)) {
			barrier.then(
				() => this.#barrierSettled(barrier, false),
				(error: unknown) => {
					if (error instanceof Error && !(error instanceof StorageClosedError)) {
						this.#deps.storageFailed(error);
					}
					this.#barrierSettled(barrier, true);
				},
			);
		}
	}

	/** Runs `action` once every response so far is written. */
	#afterResponses(action: () => void): void {
		if (this.#outbox === undefined) action();
		else this.#outbox.push({ response: undefined, action, barrier: undefined, ready: true });
	}

	#barrierSettled(barrier: Promise<void>, failed: boolean): void {
		const outbox = this.#outbox;
		if (!outbox) return;
		for (const pending of outbox) {
			if (pending.barrier !== barrier || pending.ready) continue;
			pending.ready = true;
			if (failed) pending.response = storageFailedResponse;
		}
		while (outbox.length > 0 && outbox[0]!.ready) {
			const next = outbox.shift()!;
			if (next.response) this.#write(encodeResponse(next.response));
			else next.action?.();
		}
		if (outbox.length === 0 && this.#outbox === outbox) this.#outbox = undefined;
	}

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
		this.#respond(undefined, errorResponse(error.status, error.message));
		if (error.fatal || closesConnection(error.status)) this.#finishAfterResponses();
	}

	#finishAfterResponses(): void {
		if (this.#closing) return;
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#afterResponses(() => {
			this.#socket.end();
		});
	}

	#closed(): void {
		this.#closing = true;
		clearTimeout(this.#frameTimer);
		this.#deps.outputWatch.drained(this);
		this.unbind();
		this.#deps.closed(this);
	}
}

/**
 * A copy of `text` that shares no memory with the string it was cut from: V8 keeps the whole
 * of a string alive for a slice of it, and a session id is cut from a Cookie header.
 */
function detached(text: string): string {
	return Buffer.from(text, 'utf8').toString('utf8');
}

const storageFailedResponse = errorResponse(
	Status.internalError,
	"the server's storage failed; this request may not have been done",
);

function sessionIdFrom(cookie: string | undefined): string | undefined {
	if (!cookie) return undefined;
	for (const part of cookie.split(';')) {
		const [name, ...value] = part.split('=');
		if (name?.trim().toUpperCase() === 'SESSIONID') return value.join('=').trim() || undefined;
	}
	return undefined;
}

function describe(error: unknown): string {
	return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
