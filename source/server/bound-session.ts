import { sameSecret } from '../domain/secrets.js';
import type { MessageRecord, SessionRecord } from '../domain/types.js';
import type { SessionControl } from './commands/command.js';
import { DeliveryPump, type DeliverySink, type DeliverySource } from './delivery-pump.js';
import type { BoundConnection, OnlineRegistry } from './online-registry.js';

// A bound session is looked up again at most this often (a cookie on every request costs nothing).
const sessionRecheckMs = 60 * 60 * 1000;

/** What every bound session of a server shares: one object, made once per server. */
export type SessionDependencies = {
	readonly online: OnlineRegistry;
	readonly delivery: DeliverySource;
	readonly clock: () => number;
};

/**
 * The session bound to one connection: its id, when it was last looked up, and the delivery pump
 * that streams its user's queue to the connection (the pump knows the user).
 */
export class BoundSession implements SessionControl {
	#sessionId: string | undefined;
	#checkedAt = 0;
	#pump: DeliveryPump | undefined;
	/** Bound by the request being answered: delivery starts after its response. */
	#deliveryToStart: DeliveryPump | undefined;

	constructor(
		readonly connection: BoundConnection & DeliverySink,
		readonly deps: SessionDependencies,
	) {}

	get user(): string | undefined {
		return this.#pump?.user;
	}

	get sessionId(): string | undefined {
		return this.#sessionId;
	}

	get connectionId(): string {
		return this.connection.id;
	}

	sending(): (id: number | undefined) => void {
		const pump = this.#pump;
		pump?.sendStarted();
		// The pump of the session bound when the SEND began, even if it was unbound meanwhile.
		return (id) => pump?.sendFinished(id);
	}

	bind(session: SessionRecord): void {
		if (this.#sessionId === session.id) return;
		this.unbind();
		const { online, delivery, clock } = this.deps;
		this.#sessionId = detached(session.id);
		this.#checkedAt = clock();
		const pump = new DeliveryPump(session.user, this.connection, delivery);
		this.#pump = pump;
		online.add(session.user, this.connection);
		this.#deliveryToStart = pump;
	}

	unbind(): void {
		const pump = this.#pump;
		if (!pump) return;
		this.#pump = undefined;
		this.#sessionId = undefined;
		pump.stop();
		this.deps.online.remove(pump.user, this.connection);
	}

	endSession(): void {
		// The session's other connections, on every node, hear of it on the bus.
		this.unbind();
	}

	/** Whether `id` names the bound session (compared in constant time: it is a secret). */
	holds(id: string): boolean {
		return this.#sessionId !== undefined && sameSecret(this.#sessionId, id);
	}

	/** Whether the bound session was looked up recently enough to skip the store. */
	checkedRecently(now: number): boolean {
		return now - this.#checkedAt < sessionRecheckMs;
	}

	checked(now: number): void {
		this.#checkedAt = now;
	}

	/** The pump bound by the request just answered, once: the caller starts it after the response. */
	takeDeliveryToStart(): DeliveryPump | undefined {
		const pump = this.#deliveryToStart;
		this.#deliveryToStart = undefined;
		return pump;
	}

	deliveredUpTo(): number {
		return this.#pump?.lastSent ?? 0;
	}

	acknowledged(id: number): void {
		this.#pump?.acknowledged(id);
	}

	offer(message: MessageRecord, own: boolean): void {
		this.#pump?.offer(message, own);
	}

	catchUp(): void {
		this.#pump?.wake();
	}

	/** The connection's output drained: delivery may go on. */
	writable(): void {
		this.#pump?.writable();
	}
}

/**
 * A copy of `text` that shares no memory with the string it was cut from: V8 keeps the whole
 * of a string alive for a slice of it, and a session id is cut from a Cookie header.
 */
function detached(text: string): string {
	return Buffer.from(text, 'utf8').toString('utf8');
}
