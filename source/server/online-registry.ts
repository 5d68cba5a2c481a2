import type { BusEvent, MessageBus } from '../domain/bus.js';

/** A logged-in connection, as the registry sees it. */
export interface BoundConnection {
	readonly user: string | undefined;
	readonly sessionId: string | undefined;
	/** Drops the binding (the session ended elsewhere). */
	unbind(): void;
	/** An event from the bus for the connection's user. */
	receive(event: BusEvent): void;
}

type OnlineUser = {
	readonly connections: Set<BoundConnection>;
	readonly unsubscribe: () => void;
};

/**
 * Who is online on this server, and which connections hold which session. It listens on the bus
 * once per online user and hands each event to that user's connections, so a connection adds no
 * listener of its own (a user may hold hundreds of connections).
 */
export class OnlineRegistry {
	readonly #byUser = new Map<string, OnlineUser>();
	readonly #delivered = new Map<string, number>();

	constructor(readonly bus: MessageBus) {}

	add(user: string, connection: BoundConnection): void {
		let online = this.#byUser.get(user);
		if (!online) {
			const connections = new Set<BoundConnection>();
			const unsubscribe = this.bus.subscribe(user, (event) => {
				// Delivery never closes a connection synchronously, and a Set may change while read.
				for (const each of connections) each.receive(event);
			});
			online = { connections, unsubscribe };
			this.#byUser.set(user, online);
			this.#announce(user, true);
		}
		online.connections.add(connection);
	}

	remove(user: string, connection: BoundConnection): void {
		const online = this.#byUser.get(user);
		if (!online?.connections.delete(connection) || online.connections.size > 0) return;
		online.unsubscribe();
		this.#byUser.delete(user);
		this.#announce(user, false);
	}

	isOnline(user: string): boolean {
		return this.#byUser.has(user);
	}

	get onlineUsers(): number {
		return this.#byUser.size;
	}

	/** Unbinds every connection holding the session (LOGOUT on one device ends it on all). */
	endSession(user: string, sessionId: string): void {
		for (const connection of [...(this.#byUser.get(user)?.connections ?? [])]) {
			if (connection.sessionId === sessionId) connection.unbind();
		}
	}

	noteDelivered(user: string, id: number): void {
		if (id > (this.#delivered.get(user) ?? 0)) this.#delivered.set(user, id);
	}

	deliveredUpTo(user: string): number {
		return this.#delivered.get(user) ?? 0;
	}

	#announce(user: string, online: boolean): void {
		this.bus.broadcast({ type: 'notify', kind: 'presence', payload: { user, online } }, user);
	}
}
