import type { MessageBus } from '../domain/bus.js';

/** A logged-in connection, as the registry sees it. */
export interface BoundConnection {
	readonly user: string | undefined;
	readonly sessionId: string | undefined;
	/** Drops the binding (the session ended elsewhere). */
	unbind(): void;
}

/** Who is online on this server, and which connections hold which session. */
export class OnlineRegistry {
	readonly #byUser = new Map<string, Set<BoundConnection>>();
	readonly #delivered = new Map<string, number>();

	constructor(readonly bus: MessageBus) {}

	add(user: string, connection: BoundConnection): void {
		let set = this.#byUser.get(user);
		if (!set) {
			set = new Set();
			this.#byUser.set(user, set);
			this.#announce(user, true);
		}
		set.add(connection);
	}

	remove(user: string, connection: BoundConnection): void {
		const set = this.#byUser.get(user);
		if (!set?.delete(connection) || set.size > 0) return;
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
		for (const connection of [...(this.#byUser.get(user) ?? [])]) {
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
