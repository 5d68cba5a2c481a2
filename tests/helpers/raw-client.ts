import { connect, type Socket } from 'node:net';
import { FrameDecoder } from '../../source/protocol/decoder.js';
import { encodeRequest } from '../../source/protocol/encoder.js';
import type { Push, Response } from '../../source/protocol/frame.js';
import { parseServerFrame } from '../../source/protocol/request.js';

type Waiter<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

export type RawResponse = Response & { readonly json: any; readonly text: string };
export type RawPush = Push & {
	readonly json: any;
	readonly text: string;
	/** How many responses had arrived on this connection before this push. */
	readonly responsesBefore: number;
	/** When it arrived (Date.now()), so a test can time a push it collects later. */
	readonly receivedAt: number;
};

/** Per-request options of RawClient.request. */
export type RequestOptions = {
	/** Send the stored cookie (default true). */
	readonly cookie?: boolean;
	/**
	 * Give up after this many ms: the connection is closed (responses come in order, so one that
	 * never came leaves it unusable) and the request rejects, naming the verb. Default: wait.
	 */
	readonly timeoutMs?: number;
};

function withBody<T extends { body: Buffer; headers: ReadonlyMap<string, string> }>(frame: T) {
	const text = frame.body.toString('utf8');
	const isJson = frame.headers.get('content-type') === 'application/json';
	return { ...frame, text, json: isJson ? JSON.parse(text) : undefined };
}

/**
 * A bare CHAT/1.0 peer for tests: writes raw bytes or encoded requests, and collects responses
 * and pushes separately, as an independent client would.
 */
export class RawClient {
	readonly socket: Socket;
	readonly pushes: RawPush[] = [];
	#responses: RawResponse[] = [];
	#responseWaiters: Waiter<RawResponse>[] = [];
	#pushWaiters: { predicate: (push: RawPush) => boolean; waiter: Waiter<RawPush> }[] = [];
	#responseCount = 0;
	#decoder = new FrameDecoder({ maxHeadBytes: 1 << 20, maxBodyBytes: 1 << 24 });
	#closed: Promise<void>;
	#isClosed = false;
	cookie: string | undefined;

	private constructor(socket: Socket) {
		this.socket = socket;
		socket.on('data', (chunk) => this.#read(chunk));
		this.#closed = new Promise((resolve) =>
			socket.on('close', () => {
				// From here on a request or wait rejects at once: nothing would ever answer it.
				this.#isClosed = true;
				const error = new Error('connection closed');
				for (const waiter of this.#responseWaiters.splice(0)) waiter.reject(error);
				for (const { waiter } of this.#pushWaiters.splice(0)) waiter.reject(error);
				resolve();
			}),
		);
		socket.on('error', () => undefined);
	}

	/** Speaks over a socket that is already connected (a TLS one, say). */
	static over(socket: Socket): RawClient {
		return new RawClient(socket);
	}

	/** Connects to 127.0.0.1:`port`, from `localAddress` if given (any 127.x.y.z is this host). */
	static connect(port: number, localAddress?: string): Promise<RawClient> {
		return new Promise((resolve, reject) => {
			const options = { port, host: '127.0.0.1', ...(localAddress ? { localAddress } : {}) };
			const socket = connect(options, () => resolve(new RawClient(socket)));
			socket.once('error', reject);
		});
	}

	get closed(): Promise<void> {
		return this.#closed;
	}

	write(bytes: string | Buffer): void {
		this.socket.write(bytes);
	}

	/**
	 * Sends a request (with the stored cookie unless `cookie: false`) and awaits its response.
	 * Rejects when the connection closes first, or is already closed.
	 */
	request(
		verb: string,
		target?: string,
		headers: Record<string, string> = {},
		body?: string | Buffer,
		options: RequestOptions = {},
	): Promise<RawResponse> {
		const all = Object.entries(headers);
		if (this.cookie && options.cookie !== false) all.push(['Cookie', `SESSIONID=${this.cookie}`]);
		this.write(encodeRequest(verb, target, all, body));
		const response = this.nextResponse();
		const timeoutMs = options.timeoutMs;
		if (timeoutMs === undefined) return response;
		let timer: NodeJS.Timeout | undefined;
		const expired = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				reject(new Error(`no answer to ${verb} within ${timeoutMs} ms`));
				this.socket.destroy();
			}, timeoutMs);
		});
		return Promise.race([response, expired]).finally(() => clearTimeout(timer));
	}

	/** The next response (already received or still to come); rejects once the connection is closed. */
	nextResponse(): Promise<RawResponse> {
		const ready = this.#responses.shift();
		if (ready) return Promise.resolve(ready);
		if (this.#isClosed) return Promise.reject(new Error('connection closed'));
		return new Promise((resolve, reject) => this.#responseWaiters.push({ resolve, reject }));
	}

	/** Logs in and keeps the cookie. */
	async login(user: string, password = 'correct horse'): Promise<RawResponse> {
		const response = await this.request('USE', user, { Password: password }, undefined, {
			cookie: false,
		});
		const cookie = response.headers.get('set-cookie')?.match(/SESSIONID=([^;]*)/)?.[1];
		if (response.status === 200) this.cookie = cookie;
		return response;
	}

	/** The first push (already received or still to come) that matches. */
	waitForPush(predicate: (push: RawPush) => boolean, timeoutMs = 5000): Promise<RawPush> {
		const index = this.pushes.findIndex(predicate);
		if (index >= 0) return Promise.resolve(this.pushes.splice(index, 1)[0]!);
		if (this.#isClosed) return Promise.reject(new Error('connection closed'));
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error('no matching push arrived')), timeoutMs);
			this.#pushWaiters.push({
				predicate,
				waiter: {
					resolve: (push) => {
						clearTimeout(timer);
						resolve(push);
					},
					reject: (error) => {
						clearTimeout(timer);
						reject(error);
					},
				},
			});
		});
	}

	close(): Promise<void> {
		this.socket.destroy();
		return this.#closed;
	}

	#read(chunk: Buffer): void {
		for (const event of this.#decoder.push(chunk)) {
			if (event.type === 'error') throw event.error;
			const parsed = parseServerFrame(event.frame);
			if (parsed instanceof Error) throw parsed;
			if (parsed.type === 'response') {
				this.#responseCount++;
				const response = withBody(parsed.response);
				const waiter = this.#responseWaiters.shift();
				if (waiter) waiter.resolve(response);
				else this.#responses.push(response);
			} else {
				const push = {
					...withBody(parsed.push),
					responsesBefore: this.#responseCount,
					receivedAt: Date.now(),
				};
				const index = this.#pushWaiters.findIndex(({ predicate }) => predicate(push));
				if (index >= 0) this.#pushWaiters.splice(index, 1)[0]!.waiter.resolve(push);
				else this.pushes.push(push);
			}
		}
	}
}
