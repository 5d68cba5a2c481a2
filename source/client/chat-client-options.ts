import { readFileSync } from 'node:fs';
import type { LinkOptions, SessionEndReason } from './chat-link.js';
import type { SessionStore } from './cookie-store.js';
import type { ChatNetworkError } from './errors.js';
import { defaultBackoff, type BackoffOptions } from './reconnect-policy.js';
import type { ServerAddress } from './server-address.js';
import type {
	ChatMessage,
	DeleteEvent,
	EditEvent,
	GroupEvent,
	PresenceEvent,
	ReadEvent,
	TypingEvent,
	UserEvent,
} from './types.js';

export type ChatClientEvents = {
	/**
	 * A new message, including your own sent from another device (`from` = you); each id once.
	 * It is acknowledged once every listener returned without throwing.
	 */
	message: [message: ChatMessage];
	presence: [event: PresenceEvent];
	group: [event: GroupEvent];
	user: [event: UserEvent];
	/** Your read position moved on another of your devices. */
	read: [event: ReadEvent];
	edit: [event: EditEvent];
	delete: [event: DeleteEvent];
	typing: [event: TypingEvent];
	/** A connection attempt starts (0 for the first, then 1, 2… while reconnecting). */
	connecting: [attempt: number];
	/** Connected, and the session (if any) re-bound. */
	online: [];
	/** The connection is gone; `retryInMs` is undefined when the client will not retry. */
	offline: [reason: ChatNetworkError, retryInMs: number | undefined];
	/** The session ended: by logout(), or because the server no longer knows it. */
	'logged-out': [reason: SessionEndReason, user: string];
	/** A listener of `event` threw; for `message`, that message stays unacknowledged. */
	'listener-error': [error: unknown, event: keyof ChatClientEvents];
};

export type ChatClientOptions = {
	/** `host:port` or `tls://host:port` (default 127.0.0.1:5674). */
	readonly server?: string | ServerAddress;
	/** Where the session is kept (default: in memory); a CookieStore keeps it on disk. */
	readonly sessions?: SessionStore;
	/** Certificate authority to trust for tls:// (PEM)… */
	readonly ca?: string | Buffer;
	/** …or a file holding it (read by the constructor, which throws if it cannot). */
	readonly caFile?: string;
	/** Reconnect after a drop (default true). */
	readonly reconnect?: boolean;
	readonly backoff?: Partial<BackoffOptions>;
	/** Default 10 s. */
	readonly connectTimeoutMs?: number;
	/** How long a request may go unanswered before the connection counts as dead (default 15 s). */
	readonly requestTimeoutMs?: number;
	/** A PING after this long without hearing from the server (default 20 s)… */
	readonly keepAliveMs?: number;
	/** …which must be answered within this (default 10 s), or the connection counts as dead. */
	readonly pingTimeoutMs?: number;
	/** How long a request issued while reconnecting waits before rejecting (default 10 s). */
	readonly offlineWaitMs?: number;
	/** ACKs are sent at most this often (default 100 ms)… */
	readonly ackIntervalMs?: number;
	/** …or at once when this many messages wait (default 200). */
	readonly ackBatchSize?: number;
};

export function linkOptionsFrom(options: ChatClientOptions): LinkOptions {
	return {
		connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
		requestTimeoutMs: options.requestTimeoutMs ?? 15_000,
		keepAliveMs: options.keepAliveMs ?? 20_000,
		pingTimeoutMs: options.pingTimeoutMs ?? 10_000,
		offlineWaitMs: options.offlineWaitMs ?? 10_000,
		reconnect: options.reconnect ?? true,
		backoff: { ...defaultBackoff, ...options.backoff },
		// Read now, so that a wrong path fails here rather than as a network error later.
		ca: options.ca ?? (options.caFile === undefined ? undefined : readFileSync(options.caFile)),
	};
}
