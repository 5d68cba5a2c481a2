import type { MessageRecord } from './types.js';

export type NotifyKind = 'presence' | 'user' | 'group' | 'read' | 'edit' | 'delete' | 'typing';

/**
 * Who a notice is for: these users, or every logged-in user but one; never the connection
 * `exceptConnection` (the one whose request caused it, §7), on whichever node it is.
 */
export type Audience = (
	{ readonly users: readonly string[] } | { readonly everyoneBut: string }
) & { readonly exceptConnection?: string };

export type BusEvent =
	| {
			readonly type: 'message';
			readonly message: MessageRecord;
			/** The users it was queued for (the sender too, §7.1). */
			readonly recipients: readonly string[];
			/**
			 * The connection that sent it (ids are unique across the cluster): it is not pushed
			 * there, since its 202 carried the id.
			 */
			readonly origin?: string;
	  }
	| {
			readonly type: 'notify';
			readonly kind: NotifyKind;
			readonly payload: Readonly<Record<string, unknown>>;
			readonly audience: Audience;
	  }
	| {
			/** A session was deleted: every connection holding it is logged out. */
			readonly type: 'session-ended';
			readonly user: string;
			/** The session id's hash (secrets.ts), never the id itself. */
			readonly session: string;
	  };

export type BusHandlers = {
	/** Every event published on any node, once started. */
	readonly event: (event: BusEvent) => void;
	/**
	 * Events may have been missed (a link to the bus came back): the store is the truth, so
	 * whoever listens re-reads what matters from it.
	 */
	readonly resync: () => void;
};

/**
 * Wakes the nodes of a chat up when something changed. Only a nudge: the store is the truth, and
 * a bus may lose events while a link is down (it then calls `resync`). The in-process bus is one
 * node's; the Redis bus spans a cluster.
 */
export interface MessageBus {
	/** Resolves once events published from then on (on any node) reach `handlers`. */
	start(handlers: BusHandlers): Promise<void>;
	publish(event: BusEvent): void;
	close(): Promise<void>;
}

/** One node's bus: events go straight to the handlers, in the order they are published. */
export class InProcessBus implements MessageBus {
	#handlers: BusHandlers | undefined;

	async start(handlers: BusHandlers): Promise<void> {
		this.#handlers = handlers;
	}

	publish(event: BusEvent): void {
		this.#handlers?.event(event);
	}

	async close(): Promise<void> {
		this.#handlers = undefined;
	}
}
