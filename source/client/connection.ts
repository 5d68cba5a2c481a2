import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { FrameDecoder } from '../protocol/decoder.js';
import { encodeRequest } from '../protocol/encoder.js';
import type { OutgoingHeaders, Push, Response } from '../protocol/frame.js';
import { parseServerFrame } from '../protocol/request.js';
import { closesConnection } from '../protocol/status.js';
import { ChatNetworkError } from './errors.js';
import type { ServerAddress } from './server-address.js';

export type ConnectionOptions = {
	readonly connectTimeoutMs: number;
	/** Send a PING after this long without hearing from the server. */
	readonly keepAliveMs: number;
	/** How long a request may go unanswered before the connection counts as dead. */
	readonly requestTimeoutMs: number;
	/** The same, for the keep-alive PING. */
	readonly pingTimeoutMs: number;
	/** Extra certificate authority (PEM) to trust for TLS. */
	readonly ca?: string | Buffer;
	readonly onPush: (push: Push) => void;
	/** Called once when the connection is gone, however that happened. */
	readonly onClose: (reason: ChatNetworkError) => void;
};

export type OutgoingRequest = {
	readonly verb: string;
	readonly target?: string;
	readonly headers?: OutgoingHeaders;
	readonly body?: string | Buffer;
	readonly timeoutMs?: number;
};

type Pending = {
	readonly id: string;
	readonly resolve: (response: Response) => void;
	readonly reject: (error: ChatNetworkError) => void;
	readonly timer: NodeJS.Timeout;
};

// Bodies from the server (a full HISTORY page) are much larger than what it accepts.
const decoderLimits = { maxHeadBytes: 64 * 1024, maxBodyBytes: 64 * 1024 * 1024 };

/** One socket to the server: frames requests, matches responses in order, hands pushes on. */
export class Connection {
	readonly #socket: Socket;
	readonly #options: ConnectionOptions;
	readonly #decoder = new FrameDecoder(decoderLimits);
	readonly #pending: Pending[] = [];
	readonly #idleTimer: NodeJS.Timeout;
	#nextId = 1;
	#failure: ChatNetworkError | undefined;

	private constructor(
		socket: Socket,
		readonly address: ServerAddress,
		options: ConnectionOptions,
	) {
		this.#socket = socket;
		this.#options = options;
		socket.setNoDelay(true);
		socket.on('data', (chunk: Buffer) => this.#read(chunk));
		socket.on('error', (error) => this.#fail(closedError(address, error)));
		socket.on('close', () => this.#closed());
		this.#idleTimer = setTimeout(() => this.#keepAlive(), options.keepAliveMs);
	}

	/** Connects (TLS for a tls:// address); rejects with ChatNetworkError `unreachable` or `timeout`. */
	static open(address: ServerAddress, options: ConnectionOptions): Promise<Connection> {
		return new Promise((resolve, reject) => {
			const socket = address.tls
				? connectTls({
						host: address.host,
						port: address.port,
						ca: options.ca,
						// SNI takes host names only.
						servername: isIP(address.host) ? undefined : address.host,
					})
				: connectTcp({ host: address.host, port: address.port });
			const timer = setTimeout(() => {
				socket.destroy();
				reject(
					new ChatNetworkError(
						'timeout',
						`cannot reach ${address.key}: no connection after ${seconds(options.connectTimeoutMs)}`,
					),
				);
			}, options.connectTimeoutMs);
			const onError = (error: Error) => {
				clearTimeout(timer);
				socket.destroy();
				reject(
					new ChatNetworkError('unreachable', unreachableText(address, error), { cause: error }),
				);
			};
			socket.once('error', onError);
			socket.once(address.tls ? 'secureConnect' : 'connect', () => {
				clearTimeout(timer);
				socket.off('error', onError);
				resolve(new Connection(socket, address, options));
			});
		});
	}

	get closed(): boolean {
		return this.#failure !== undefined || this.#socket.destroyed;
	}

	/** Writes the request now (pipelined) and resolves with its response, whatever its status. */
	request(request: OutgoingRequest): Promise<Response> {
		if (this.closed) {
			return Promise.reject(this.#failure ?? closedError(this.address));
		}
		const id = String(this.#nextId++);
		const headers: OutgoingHeaders = [...(request.headers ?? []), ['Request-Id', id]];
		// Throws a TypeError for a target or header that cannot be framed, before anything is queued.
		const bytes = encodeRequest(request.verb, request.target, headers, request.body);
		return new Promise((resolve, reject) => {
			const timeoutMs = request.timeoutMs ?? this.#options.requestTimeoutMs;
			const timer = setTimeout(() => {
				// Responses come in order: one that never comes blocks all the rest, so the link is dead.
				this.#fail(
					new ChatNetworkError(
						'timeout',
						`${this.address.key} did not answer ${request.verb} within ${seconds(timeoutMs)}`,
					),
				);
			}, timeoutMs);
			this.#pending.push({ id, resolve, reject, timer });
			this.#socket.write(bytes);
		});
	}

	close(): void {
		this.#fail(new ChatNetworkError('offline', 'the client was closed'));
	}

	#read(chunk: Buffer): void {
		this.#idleTimer.refresh();
		for (const event of this.#decoder.push(chunk)) {
			if (this.closed) return;
			if (event.type === 'error') {
				this.#fail(garbled(this.address, event.error.message));
				return;
			}
			const frame = parseServerFrame(event.frame);
			if (frame instanceof Error) this.#fail(garbled(this.address, frame.message));
			else if (frame.type === 'push') this.#options.onPush(frame.push);
			else this.#answer(frame.response);
		}
	}

	#answer(response: Response): void {
		const pending = this.#pending[0];
		const echoed = response.headers.get('request-id');
		// An unframeable request's error (e.g. 413) has no Request-Id; order still matches it.
		if (!pending || (echoed !== undefined && echoed !== pending.id)) {
			this.#fail(garbled(this.address, 'a response that matches no request'));
			return;
		}
		this.#pending.shift();
		clearTimeout(pending.timer);
		pending.resolve(response);
		// The server hangs up after these (408, 413, 431): write nothing more to this connection.
		if (closesConnection(response.status)) this.#fail(closedError(this.address));
	}

	#keepAlive(): void {
		if (this.closed) return;
		this.#idleTimer.refresh();
		// A timeout fails the connection; the answer itself needs no handling.
		this.request({ verb: 'PING', timeoutMs: this.#options.pingTimeoutMs }).catch(() => undefined);
	}

	#fail(reason: ChatNetworkError): void {
		this.#failure ??= reason;
		this.#socket.destroy();
	}

	#closed(): void {
		clearTimeout(this.#idleTimer);
		const reason = (this.#failure ??= closedError(this.address));
		for (const pending of this.#pending.splice(0)) {
			clearTimeout(pending.timer);
			pending.reject(reason);
		}
		this.#options.onClose(reason);
	}
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

function closedError(address: ServerAddress, cause?: Error): ChatNetworkError {
	return new ChatNetworkError('closed', `the connection to ${address.key} was lost`, { cause });
}

function garbled(address: ServerAddress, detail: string): ChatNetworkError {
	return new ChatNetworkError('closed', `${address.key} does not speak CHAT/1.0 (${detail})`);
}

function unreachableText(address: ServerAddress, error: Error): string {
	const code = (error as NodeJS.ErrnoException).code;
	const why =
		code === 'ECONNREFUSED'
			? 'connection refused (is the server running?)'
			: code === 'ENOTFOUND'
				? 'unknown host'
				: error.message;
	return `cannot reach ${address.key}: ${why}`;
}
