import type { MessageBus } from './bus.js';
import { conversationWith } from './conversations.js';
import type { ChatStore } from './store.js';

/**
 * One typing notice per user and conversation per this long: a client sends TYPING at most
 * every 3 s (§7.5), so a faster one gains nothing by it and cannot flood the others.
 */
export const typingCoalesceMs = 2000;
// The remembered times are swept once there are this many.
const sweepAbove = 1024;

export type TypingOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
};

/** TYPING (§7.5): nothing is stored; the other parties' connections hear of it. */
export class Typing {
	/** When each `user \n conversation` was last announced. */
	readonly #lastAnnounced = new Map<string, number>();

	constructor(readonly options: TypingOptions) {}

	async typing(caller: string, rawTarget: string | undefined): Promise<void> {
		const { store, bus, clock } = this.options;
		const conversation = await conversationWith(store, caller, rawTarget);
		const now = clock();
		const key = `${caller}\n${conversation.key}`;
		const last = this.#lastAnnounced.get(key);
		if (last !== undefined && now - last < typingCoalesceMs) return;
		this.#remember(key, now);
		const users =
			conversation.groupId === null
				? [conversation.to]
				: (await store.membersOf(conversation.groupId)).map((member) => member.user);
		const audience = { users: users.filter((user) => user !== caller) };
		if (audience.users.length === 0) return;
		// To the receiver, a DM's `to` is the receiver themself (they find it by `user`).
		const payload = { user: caller, to: conversation.to, group: conversation.group };
		bus.publish({ type: 'notify', kind: 'typing', payload, audience });
	}

	#remember(key: string, now: number): void {
		const times = this.#lastAnnounced;
		if (times.size >= sweepAbove) {
			for (const [other, at] of times) if (now - at >= typingCoalesceMs) times.delete(other);
		}
		times.set(key, now);
	}
}
