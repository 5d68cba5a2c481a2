import { forbidden, notFound } from './errors.js';
import { normalizeName } from './names.js';
import type { ChatStore } from './store.js';
import type { LocatedMessage, MessageRecord } from './types.js';

/** A conversation as its caller names it: `key` is the store's, `group` null for a DM. */
export type Conversation = {
	readonly key: string;
	/** The other user of a DM, else the group. */
	readonly to: string;
	readonly group: string | null;
	readonly groupId: number | null;
};

/** `conversation` keys: a DM is the sorted pair of names, a group its numeric id. */
export function directConversation(a: string, b: string): string {
	return a < b ? `d:${a}:${b}` : `d:${b}:${a}`;
}

/** The conversation `caller` has with a user or group: 404 unknown, 403 not a member. */
export async function conversationWith(
	store: ChatStore,
	caller: string,
	rawTarget: string | undefined,
): Promise<Conversation> {
	const target = normalizeName(rawTarget, 'name');
	if (await store.findUser(target)) {
		return { key: directConversation(caller, target), to: target, group: null, groupId: null };
	}
	const group = await store.findGroup(target);
	if (!group) throw notFound(`no user or group named "${target}"`);
	if (!(await store.roleOf(group.id, caller))) {
		throw forbidden(`you are not a member of ${group.name}`);
	}
	return { key: `g:${group.id}`, to: group.name, group: group.name, groupId: group.id };
}

/** Whether `user` is a party of the message's conversation now: one of the two, or a member. */
export async function isParty(
	store: ChatStore,
	user: string,
	{ message, groupId }: LocatedMessage,
): Promise<boolean> {
	if (groupId === null) return message.from === user || message.to === user;
	return (await store.roleOf(groupId, user)) !== undefined;
}

/** Every party of the message's conversation now (for a group, its current members). */
export async function partiesOf(store: ChatStore, { message, groupId }: LocatedMessage) {
	if (groupId === null) return [...new Set([message.from, message.to])];
	return (await store.membersOf(groupId)).map((member) => member.user);
}

/** The message with this id, for a verb of §7: 404 when none, 403 when `caller` is no party. */
export async function locateForParty(
	store: ChatStore,
	caller: string,
	id: number,
): Promise<LocatedMessage> {
	const located = await store.findMessage(id);
	if (!located) throw notFound(`no message with id ${id}`);
	if (!(await isParty(store, caller, located))) {
		throw forbidden(`message ${id} is in a conversation you are not part of`);
	}
	return located;
}

/** The `to` / `group` pair that names a message's conversation in a JSON body (§7). */
export function namesOf(message: MessageRecord): { to: string; group: string | null } {
	return { to: message.group ?? message.to, group: message.group };
}
