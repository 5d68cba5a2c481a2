import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BusEvent, MessageBus } from '../domain/bus.js';
import { DomainError } from '../domain/errors.js';
import { sameSecret } from '../domain/secrets.js';
import type { ChatStore } from '../domain/store.js';
import type { MessageRecord, SessionRecord } from '../domain/types.js';
import { FrameDecoder, type DecodeEvent } from '../protocol/decoder.js';
import { encodePush, encodeResponse, errorResponse, jsonBody } from '../protocol/encoder.js';
import { ProtocolError } from '../protocol/errors.js';
import type { OutgoingResponse, RawFrame, Request } from '../protocol/frame.js';
import { parseRequest } from '../protocol/request.js';
import { closesConnection, Status, type StatusCode } from '../protocol/status.js';
import { StorageClosedError, StorageFailedError } from '../storage/storage-errors.js';
import { expiredSessionCookie } from './commands/account-commands.js';
import type { Services, SessionControl } from './commands/command.js';
import { commandTable } from './commands/command-table.js';
import { DeliveryPump } from './delivery-pump.js';
import type { BoundConnection } from './online-registry.js';
import type { ServerOptions } from './options.js';
import { OutputWatch } from './output-watch.js';
import { RateLimiter } from './rate-limiter.js';

export type ConnectionDependencies = {
	readonly services: Services;
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly options: ServerOptions;
	/** Reports that storage failed; the server logs it once and decides what follows. */
	readonly storageFailed: (error: Error) => void;
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

type Binding = {
	readonly session: SessionRecord;
	readonly pump: DeliveryPump;
	readonly unsubscribe: () => void;
	checkedAt: number;
};

/** One client socket: its decoder, its session, and the single path by which it is written to. */
export class Connection implements SessionControl, BoundConnection {
	readonly #socket: Socket;
	readonly #deps: ConnectionDependencies;
	readonly #decoder: FrameDecoder;
	readonly #limiter: RateLimiter;
	readonly #output: OutputWatch;
	#queue: DecodeEvent[] = [];
	#queueHead = 0;
	#processing = false;
	#responses: Promise<void> = Promise.resolve();
	#frameTimer: NodeJS.Timeout | undefined;
	#binding: Binding | undefined;
	#deliveryToStart: DeliveryPump | undefined;
	#closing = false;
	#peerEnded = false;
	#corked = false;
	/** Settles when every request read so far has been answered. */
	idle: Promise<void> = Promise.resolve();

	constructor(socket: Socket, deps: ConnectionDependencies) {
		this.#socket = socket;
		this.#deps = deps;
		const { options } = deps;
		this.#decoder = new FrameDecoder({
			maxHeadBytes: options.maxHeadBytes,
			maxBodyBytes: options.maxBodyBytes,
		});
		this.#limiter = new RateLimiter(options.rateLimit, options.rateBurst, options.clock);
		this.#output = new OutputWatch(socket, options.outputStallTimeoutMs, () => {
			const seconds = Math.round(options.outputStallTimeoutMs / 1000);
			this.#drop(`its output has not drained for ${seconds} s`);
		});
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => this.#read(chunk));
		socket.on('end', () => {
			this.#peerEnded = true;
			if (!this.#processing) this.#finishAfterResponses();
		});
		socket.on('drain', () => {
			this.#output.drained();
			this.#binding?.pump.writable();
		});
		socket.on('error', () => undefined);
		socket.on('close', () => this.#closed());
	}

	get user(): string | undefined {
		return this.#binding?.session.user;
	}

	get sessionId(): string | undefined {
		return this.#binding?.session.id;
	}

	get closed(): boolean {
		return this.#closing || this.#socket.destroyed;
	}

	/** Stops reading and closes once pending responses are written. */
	shutdown(): Promise<void> {
		this.#socket.pause();
		this.#finishAfterResponses();
		return this.#responses;
	}

	destroy(): void {
		this.#socket.destroy();
	}

	// SessionControl ---------------------------------------------------------------------------

	bind(session: SessionRecord): void {
		if (this.#binding?.session.id === session.id) return;
		this.unbind();
		const { bus, services, store, options } = this.#deps;
		const pump = new DeliveryPump({
			fetch: (afterId, limit) => services.messages.pending(session.user, afterId, limit),
			durable: () => store.whenDurable(),
			push: (message) => this.#pushMessage(session.user, message),
			canWrite: () => this.#socket.writableLength < pushHighWaterBytes && !this.closed,
			maxInFlight: 5_000,
			pageSize: 200,
		});
		const unsubscribe = bus.subscribe(session.user, (event) => this.#onBusEvent(pump, event));
		this.#binding = { session, pump, unsubscribe, checkedAt: options.clock() };
		services.online.add(session.user, this);
		// The queue follows the response of the request that bound the session (see #handle).
		this.#deliveryToStart = pump;
	}

	unbind(): void {
		const binding = this.#binding;
		if (!binding) return;
		this.#binding = undefined;
		binding.pump.stop();
		binding.unsubscribe();
		this.#deps.services.online.remove(binding.session.user, this);
	}

	endSession(): void {
		const binding = this.#binding;
		if (!binding) return;
		this.#deps.services.online.endSession(binding.session.user, binding.session.id);
		this.unbind();
	}

	deliveredUpTo(): number {
		const user = this.user;
		return user ? this.#deps.services.online.deliveredUpTo(user) : 0;
	}

	acknowledged(id: number): void {
		this.#binding?.pump.acknowledged(id);
	}

	// Reading ----------------------------------------------------------------------------------

	#read(chunk: Buffer): void {
		if (this.#closing) return;
		for (const event of this.#decoder.push(chunk)) this.#queue.push(event);
		this.#armFrameTimer();
		if (this.#queue.length - this.#queueHead > maxQueuedFrames) this.#pauseReading();
		if (!this.#processing) this.idle = this.#process();
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
		this.#frameTimer ??= setTimeout(() => {
			const seconds = Math.round(this.#deps.options.frameTimeoutMs / 1000);
			this.#fail(
				new ProtocolError(
					Status.requestTimeout,
					`frame left incomplete for over ${seconds} s`,
					true,
				),
			);
		}, this.#deps.options.frameTimeoutMs);
	}

	async #process(): Promise<void> {
		this.#processing = true;
		let handled = 0;
		try {
			while (this.#queueHead < this.#queue.length && !this.#closing) {
				const event = this.#queue[this.#queueHead++]!;
				if (event.type === 'error') {
					if (event.error.fatal) this.#fail(event.error);
					else this.#respond(undefined, errorResponse(event.error.status, event.error.message));
				} else {
					const penaltyMs = await this.#handle(event.frame);
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
			this.#queue = this.#queue.slice(this.#queueHead);
			this.#queueHead = 0;
			this.#processing = false;
			if (this.#peerEnded) this.#finishAfterResponses();
			else if (!this.#closing) this.#resumeReading();
		}
	}

	/** Handles one frame; returns how long to stop reading when the rate limit was hit, else 0. */
	async #handle(frame: RawFrame): Promise<number> {
		const parsed = parseRequest(frame);
		if (parsed instanceof ProtocolError) {
			// The head parsed, so its Request-Id can still be echoed (e.g. on a 505).
			const requestId = frame.headers.get('request-id');
			this.#respond(requestId, errorResponse(parsed.status, parsed.message));
			return 0;
		}
		const requestId = parsed.headers.get('request-id');
		const wait = this.#limiter.take();
		if (wait > 0) {
			this.#respond(
				requestId,
				errorResponse(Status.tooManyRequests, `rate limit exceeded; retry in ${wait} s`, [
					['Retry-After', String(wait)],
				]),
			);
			return this.#limiter.msUntilToken();
		}
		let response: OutgoingResponse;
		try {
			response = await this.#dispatch(parsed);
		} catch (error) {
			response = this.#errorFor(parsed, error);
		}
		this.#respond(requestId, response, this.#deps.store.whenDurable());
		const pump = this.#deliveryToStart;
		if (pump) {
			this.#deliveryToStart = undefined;
			this.#afterResponses(() => pump.start());
		}
		return 0;
	}

	async #dispatch(request: Request): Promise<OutgoingResponse> {
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
			const expired = await this.#applyCookie(request);
			if (expired) return expired;
		}
		const user = this.user;
		if (!command.anonymous && user === undefined) {
			return errorResponse(Status.unauthorized, 'log in first: USE <user> with a Password header');
		}
		const { services } = this.#deps;
		return command.run({ request, session: this, user: user ?? '', services });
	}

	/** Binds the session named by a Cookie header; a 401 for an unknown or expired one. */
	async #applyCookie(request: Request): Promise<OutgoingResponse | undefined> {
		const id = sessionIdFrom(request.headers.get('cookie'));
		if (id === undefined) return undefined;
		const binding = this.#binding;
		const now = this.#deps.options.clock();
		const sameSession = binding !== undefined && sameSecret(binding.session.id, id);
		if (sameSession && now - binding.checkedAt < sessionRecheckMs) return undefined;
		const session = await this.#deps.services.accounts.resume(id);
		if (!session) {
			if (sameSession) this.unbind();
			return errorResponse(
				Status.unauthorized,
				'your session is unknown or expired; log in again',
				[['Set-Cookie', expiredSessionCookie]],
			);
		}
		if (sameSession) binding.checkedAt = now;
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
		this.#deps.options.log(`error handling ${request.verb}: ${describe(error)}`);
		return errorResponse(Status.internalError, 'internal server error; the request was not done');
	}

	// Writing ----------------------------------------------------------------------------------

	/** Queues a response behind the earlier ones; it is written once `barrier` settles. */
	#respond(requestId: string | undefined, response: OutgoingResponse, barrier?: Promise<void>) {
		const withId: OutgoingResponse =
			requestId === undefined
				? response
				: { ...response, headers: [...(response.headers ?? []), ['Request-Id', requestId]] };
		const previous = this.#responses;
		this.#responses = (async () => {
			await previous;
			let final = withId;
			if (barrier) {
				try {
					await barrier;
				} catch (error) {
					if (error instanceof Error && !(error instanceof StorageClosedError)) {
						this.#deps.storageFailed(error);
					}
					final = storageFailedResponse;
				}
			}
			this.#write(encodeResponse(final));
		})();
	}

	#afterResponses(action: () => void): void {
		this.#responses = this.#responses.then(action);
	}

	#write(bytes: Buffer): void {
		const socket = this.#socket;
		if (socket.destroyed || !socket.writable) return;
		if (!this.#corked) {
			// One syscall per tick instead of one per frame.
			this.#corked = true;
			socket.cork();
			process.nextTick(() => {
				this.#corked = false;
				socket.uncork();
			});
		}
		// Checked before writing, so one large response is fine but a reader that stalls is not.
		const { maxOutputBytes } = this.#deps.options;
		if (socket.writableLength > maxOutputBytes) {
			this.#drop(`over ${maxOutputBytes} bytes of its output are unread`);
			return;
		}
		socket.write(bytes);
		this.#output.wrote();
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

	#pushMessage(user: string, message: MessageRecord): void {
		this.#write(messageFrame(message));
		this.#deps.services.online.noteDelivered(user, message.id);
	}

	#onBusEvent(pump: DeliveryPump, event: BusEvent): void {
		if (event.type === 'message') {
			pump.offer(event.message);
			return;
		}
		this.#write(notifyFrame(event));
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
		this.#output.stop();
		this.unbind();
	}
}

const storageFailedResponse = errorResponse(
	Status.internalError,
	"the server's storage failed; this request may not have been done",
);

// A group message reaches every member as the same object, so it is encoded once, not per member.
const messageFrames = new WeakMap<MessageRecord, Buffer>();

function messageFrame(message: MessageRecord): Buffer {
	let frame = messageFrames.get(message);
	if (!frame) {
		const headers: [string, string][] = [
			['From', message.from],
			['Message-Id', String(message.id)],
			['Date', message.date],
		];
		if (message.group) headers.push(['Group', message.group]);
		frame = encodePush('MSG', message.group ?? message.to, headers, message.body);
		messageFrames.set(message, frame);
	}
	return frame;
}

// A presence or group notice is broadcast as one event object: encoded once for every listener.
const notifyFrames = new WeakMap<BusEvent, Buffer>();

function notifyFrame(event: Extract<BusEvent, { type: 'notify' }>): Buffer {
	let frame = notifyFrames.get(event);
	if (!frame) {
		const headers: [string, string][] = [['Content-Type', 'application/json']];
		frame = encodePush('NOTIFY', event.kind, headers, jsonBody(event.payload));
		notifyFrames.set(event, frame);
	}
	return frame;
}

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
