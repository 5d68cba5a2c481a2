import { afterDurable } from './after-durable.js';
import type { MessageBus } from './bus.js';
import { locateForParty, namesOf, partiesOf } from './conversations.js';
import { badRequest, conflict, forbidden } from './errors.js';
import { parsePositive } from './messages.js';
import type { ChatStore } from './store.js';
import type { LocatedMessage } from './types.js';

// \s is exactly what trim() removes, as for SEND.
const hasText = /\S/;

export type MessageChangesOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
};

/** The answer to an EDIT (§7.4). */
export type EditResult = { readonly id: number; readonly edited: string };

/**
 * EDIT and DELETE (§7.4): who may change a message, and the notice every party's connections
 * get once the change is on disk (all but `origin`, the connection that made it).
 */
export class MessageChanges {
	constructor(readonly options: MessageChangesOptions) {}

	async edit(
		caller: string,
		rawId: string | undefined,
		body: string,
		origin?: string,
	): Promise<EditResult> {
		const { store, clock } = this.options;
		const id = parsePositive(rawId ?? '', 'the message id');
		if (!hasText.test(body)) throw badRequest('an edit needs some text in its body');
		const located = await locateForParty(store, caller, id);
		if (located.message.from !== caller) throw forbidden('only its sender edits a message');
		if (located.message.deleted) throw conflict(`message ${id} was deleted`);
		const at = new Date(clock()).toISOString();
		const stored = await store.editMessage(id, body, at);
		// Deleted between the look-up and the write.
		if (!stored) throw conflict(`message ${id} was deleted`);
		const edited = stored.edited ?? at;
		const payload = { id, from: stored.from, ...namesOf(stored), body, edited };
		await this.#announce(located, 'edit', payload, origin);
		return { id, edited };
	}

	async delete(caller: string, rawId: string | undefined, origin?: string): Promise<void> {
		const { store } = this.options;
		const id = parsePositive(rawId ?? '', 'the message id');
		const located = await locateForParty(store, caller, id);
		const { message, groupId } = located;
		if (message.from !== caller) {
			const role = groupId === null ? undefined : await store.roleOf(groupId, caller);
			if (role !== 'owner' && role !== 'admin') {
				throw forbidden(
					groupId === null
						? 'only its sender deletes a direct message'
						: `only its sender, the owner or an admin of ${message.group} deletes this message`,
				);
			}
		}
		if (message.deleted) throw conflict(`message ${id} is already deleted`);
		const deleted = await store.deleteMessage(id);
		if (!deleted) throw conflict(`message ${id} is already deleted`);
		const payload = { id, from: message.from, ...namesOf(message), by: caller };
		await this.#announce(located, 'delete', payload, origin);
	}

	/** Tells the parties as they are now, once the change is on disk. */
	async #announce(
		located: LocatedMessage,
		kind: 'edit' | 'delete',
		payload: Readonly<Record<string, unknown>>,
		origin: string | undefined,
	): Promise<void> {
		const { store, bus } = this.options;
		const users = await partiesOf(store, located);
		const audience = origin === undefined ? { users } : { users, exceptConnection: origin };
		afterDurable(store, () => bus.publish({ type: 'notify', kind, payload, audience }));
	}
}
