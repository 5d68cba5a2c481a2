import type { MessageRecord } from './types.js';

export type NotifyKind = 'presence' | 'user' | 'group';

export type BusEvent =
	| { readonly type: 'message'; readonly message: MessageRecord }
	| {
			readonly type: 'notify';
			readonly kind: NotifyKind;
			readonly payload: Readonly<Record<string, unknown>>;
	  };

export type BusListener = (event: BusEvent) => void;

/**
 * Routes live events to the connections of users. In-process today; Redis or NATS can stand
 * behind the same interface when one machine is not enough.
 */
export interface MessageBus {
	/** Listens for events addressed to one user; returns the unsubscribe function. */
	subscribe(user: string, listener: BusListener): () => void;
	publish(users: Iterable<string>, event: BusEvent): void;
	/** Sends to every subscribed user except `except`. */
	broadcast(event: BusEvent, except?: string): void;
}

export class InProcessBus implements MessageBus {
	readonly #listeners = new Map<string, Set<BusListener>>();

	subscribe(user: string, listener: BusListener): () => void {
		let set = this.#listeners.get(user);
		if (!set) {
			set = new Set();
			this.#listeners.set(user, set);
		}
		set.add(listener);
		return () => {
			const current = this.#listeners.get(user);
			current?.delete(listener);
			if (current?.size === 0) this.#listeners.delete(user);
		};
	}

	publish(users: Iterable<string>, event: BusEvent): void {
		for (const user of new Set(users)) this.#deliver(user, event);
	}

	broadcast(event: BusEvent, except?: string): void {
		for (const user of [...this.#listeners.keys()]) {
			if (user !== except) this.#deliver(user, event);
		}
	}

	#deliver(user: string, event: BusEvent): void {
		const set = this.#listeners.get(user);
		if (!set) return;
		for (const listener of [...set]) listener(event);
	}
}
