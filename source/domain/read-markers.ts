import { afterDurable } from './after-durable.js';
import type { MessageBus } from './bus.js';
import { conversationWith } from './conversations.js';
import { badRequest } from './errors.js';
import { parsePositive } from './messages.js';
import type { ChatStore } from './store.js';
import type { UnreadConversation } from './types.js';

export type ReadMarkersOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
};

/** READ and UNREAD (§7.2): a user's read position per conversation, shared by their devices. */
export class ReadMarkers {
	constructor(readonly options: ReadMarkersOptions) {}

	/**
	 * Moves the caller's read position to max(old, Message-Id) and, once on disk, tells the
	 * caller's other connections (all but `origin`). Returns the new position.
	 */
	async markRead(
		caller: string,
		rawTarget: string | undefined,
		messageId: string | undefined,
		origin?: string,
	): Promise<number> {
		const { store, bus } = this.options;
		if (messageId === undefined) throw badRequest('READ needs a Message-Id header');
		const upTo = parsePositive(messageId, 'Message-Id');
		const conversation = await conversationWith(store, caller, rawTarget);
		const id = await store.markRead(caller, conversation.key, upTo);
		const payload = { to: conversation.to, group: conversation.group, id };
		const users = [caller];
		const audience = origin === undefined ? { users } : { users, exceptConnection: origin };
		afterDurable(store, () => bus.publish({ type: 'notify', kind: 'read', payload, audience }));
		return id;
	}

	unread(caller: string): Promise<UnreadConversation[]> {
		return this.options.store.unread(caller);
	}
}
