import type { Push, Response } from '../protocol/frame.js';
import { Connection, type OutgoingRequest } from './connection.js';
import type { SessionStore } from './cookie-store.js';
import { ChatNetworkError } from './errors.js';
import { ReconnectPolicy, type BackoffOptions } from './reconnect-policy.js';
import { atEndpoint, type ServerAddress } from './server-address.js';
import { cookieHeader, readSetCookie } from './session-cookie.js';
import type { StoredSession } from './types.js';

/** `logout`: LOGOUT answered; `expired`: the server no longer knows the session. */
export type SessionEndReason = 'logout' | 'expired';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';

export type LinkOptions = {
	readonly connectTimeoutMs: number;
	readonly requestTimeoutMs: number;
	readonly keepAliveMs: number;
	readonly pingTimeoutMs: number;
	/** How long a request issued while offline waits for the connection to come back. */
	readonly offlineWaitMs: number;
	readonly reconnect: boolean;
	readonly backoff: BackoffOptions;
	readonly ca?: string | Buffer;
};

/** What the link reports to its owner. */
export type LinkHooks = {
	readonly connecting: (attempt: number) => void;
	readonly online: () => void;
	readonly offline: (reason: ChatNetworkError, retryInMs: number | undefined) => void;
	readonly push: (push: Push) => void;
	readonly sessionEnded: (session: StoredSession, reason: SessionEndReason) => void;
};

type Waiter = {
	readonly resolve: (connection: Connection) => void;
	readonly reject: (error: ChatNetworkError) => void;
	readonly timer: NodeJS.Timeout;
};

/**
 * The client's hold on one server: the current connection, the session and its cookie, and
 * reconnection. After a drop it reconnects with back-off and re-binds the session with a PING
 * carrying the Cookie, which restarts delivery (PROTOCOL.md §4). Requests issued while offline wait
 * up to `offlineWaitMs` for that; requests in flight when the link drops fail (`closed`), because
 * the server may or may not have done them.
 */
export class ChatLink {
	#state: ConnectionState = 'idle';
	#connection: Connection | undefined;
	#session: StoredSession | undefined;
	#everOnline = false;
	#waiters: Waiter[] = [];
	#retryTimer: NodeJS.Timeout | undefined;
	/** Which of the address's nodes the next connection goes to. */
	#endpoint = 0;
	readonly #policy: ReconnectPolicy;

	constructor(
		readonly address: ServerAddress,
		readonly sessions: SessionStore,
		readonly options: LinkOptions,
		readonly hooks: LinkHooks,
	) {
		this.#policy = new ReconnectPolicy(options.backoff);
		this.#session = sessions.load(address.key);
	}

	get state(): ConnectionState {
		return this.#state;
	}

	get session(): StoredSession | undefined {
		return this.#session;
	}

	/**
	 * Connects (and re-binds a stored session); rejects with ChatNetworkError if that fails, with no
	 * retry before the first success. While already connecting or reconnecting, waits for that.
	 */
	async connect(): Promise<void> {
		if (this.#state === 'idle' || (this.#state === 'offline' && !this.options.reconnect)) {
			// Each node of a cluster is tried once before giving up.
			for (let tried = 1; ; tried++) {
				try {
					await this.#open();
					return;
				} catch (error) {
					const more = tried < this.address.endpoints.length && this.#state === 'idle';
					if (!more || !(error instanceof ChatNetworkError)) throw error;
				}
			}
		} else {
			await this.#ready();
		}
	}

	/** The node the current (or next) connection is to. */
	get endpoint(): ServerAddress {
		return atEndpoint(this.address, this.#endpoint);
	}

	/** Sends a request once connected, with the session's Cookie; resolves with any response. */
	async request(request: OutgoingRequest): Promise<Response> {
		const connection = await this.#ready();
		return this.#send(connection, request);
	}

	startSession(session: StoredSession): void {
		this.#session = session;
		this.sessions.save(this.address.key, session);
	}

	endSession(reason: SessionEndReason): void {
		const session = this.#session;
		if (!session) return;
		this.#session = undefined;
		this.sessions.clear(this.address.key);
		this.hooks.sessionEnded(session, reason);
	}

	/** Cuts a back-off short: the next attempt starts now (only while waiting for one). */
	reconnectNow(): void {
		if (this.#state !== 'offline' || this.#retryTimer === undefined) return;
		clearTimeout(this.#retryTimer);
		this.#retryTimer = undefined;
		this.#open().catch(() => undefined);
	}

	close(): void {
		if (this.#state === 'closed') return;
		this.#state = 'closed';
		clearTimeout(this.#retryTimer);
		this.#connection?.close();
		this.#connection = undefined;
		this.#rejectWaiters(closed());
	}

	async #send(connection: Connection, request: OutgoingRequest): Promise<Response> {
		const session = this.#session;
		const headers = session
			? [...(request.headers ?? []), ['Cookie', cookieHeader(session.sessionId)] as const]
			: request.headers;
		const response = await connection.request({ ...request, headers });
		// Only the session this request spoke for can be expired by its answer (not a newer login).
		if (session && session === this.#session && readSetCookie(response)?.expired) {
			this.endSession(request.verb === 'LOGOUT' ? 'logout' : 'expired');
		}
		return response;
	}

	#ready(): Promise<Connection> {
		const connection = this.#connection;
		if (this.#state === 'online' && connection && !connection.closed) {
			return Promise.resolve(connection);
		}
		if (this.#state === 'closed') return Promise.reject(closed());
		if (this.#state === 'idle' || (this.#state === 'offline' && !this.options.reconnect)) {
			return Promise.reject(
				new ChatNetworkError('offline', `not connected to ${this.address.key}`),
			);
		}
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.#waiters = this.#waiters.filter((waiter) => waiter.timer !== timer);
				reject(
					new ChatNetworkError(
						'offline',
						`still not connected to ${this.address.key} after ${this.options.offlineWaitMs / 1000} s`,
					),
				);
			}, this.options.offlineWaitMs);
			this.#waiters.push({ resolve, reject, timer });
		});
	}

	async #open(): Promise<void> {
		this.#state = 'connecting';
		this.hooks.connecting(this.#policy.attempt);
		let connection: Connection;
		try {
			connection = await Connection.open(this.endpoint, {
				...this.options,
				onPush: (push) => {
					if (this.#connection === connection) this.hooks.push(push);
				},
				onClose: (reason) => {
					if (this.#connection === connection) this.#lost(reason);
				},
			});
		} catch (error) {
			if (this.#state === 'connecting') this.#lost(error as ChatNetworkError);
			throw error;
		}
		if (this.#state !== 'connecting') {
			connection.close();
			throw closed();
		}
		this.#connection = connection;
		// Re-binds the session, restarting delivery; a 401 here ends the session (in #send).
		if (this.#session) await this.#send(connection, { verb: 'PING' });
		if (this.#connection !== connection) throw closed();
		this.#state = 'online';
		this.#everOnline = true;
		this.#policy.reset();
		for (const waiter of this.#waiters.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.resolve(connection);
		}
		this.hooks.online();
	}

	/** The connection dropped, or an attempt failed: retry later, or give up before the first success. */
	#lost(reason: ChatNetworkError): void {
		this.#connection = undefined;
		// A node that failed is tried again only after the others.
		this.#endpoint = (this.#endpoint + 1) % this.address.endpoints.length;
		if (!this.#everOnline || !this.options.reconnect) {
			this.#state = this.#everOnline ? 'offline' : 'idle';
			this.#rejectWaiters(reason);
			if (this.#everOnline) this.hooks.offline(reason, undefined);
			return;
		}
		this.#state = 'offline';
		const delay = this.#policy.nextDelay();
		clearTimeout(this.#retryTimer);
		this.#retryTimer = setTimeout(() => {
			this.#retryTimer = undefined;
			// Failures are handled in #open (it calls #lost); nothing else to do with them.
			this.#open().catch(() => undefined);
		}, delay);
		this.hooks.offline(reason, delay);
	}

	#rejectWaiters(error: ChatNetworkError): void {
		for (const waiter of this.#waiters.splice(0)) {
			clearTimeout(waiter.timer);
			waiter.reject(error);
		}
	}
}

const closed = () => new ChatNetworkError('offline', 'the client was closed');
