import type { MessageBus } from '../domain/bus.js';
import type { LoginThrottle } from '../domain/login-throttle.js';
import type { Presence } from '../domain/presence.js';
import type { ChatStore } from '../domain/store.js';

/**
 * What a server runs on: one node's sql.js, in-process bus and local presence, or a cluster's
 * PostgreSQL, Redis bus and Redis presence. The server and the domain see only these interfaces.
 */
export type ChatBackend = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly presence: Presence;
	readonly throttle: LoginThrottle;
	/** Closes what the backend opened, the store last. */
	close(): Promise<void>;
};
