import type { ChatMessage, ChatUser, GroupEvent } from '../../client/index.js';
import {
	conversationId,
	newConversation,
	type ChatState,
	type Conversation,
	type ConversationId,
} from './chat-state.js';

/** `messages` with `message` in id order (a no-op for an id already there). */
export function insertMessage(
	messages: readonly ChatMessage[],
	message: ChatMessage,
): readonly ChatMessage[] {
	const last = messages.at(-1);
	if (!last || last.id < message.id) return [...messages, message];
	let low = 0;
	let high = messages.length;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (messages[middle]!.id < message.id) low = middle + 1;
		else high = middle;
	}
	if (messages[low]?.id === message.id) return messages;
	return [...messages.slice(0, low), message, ...messages.slice(low)];
}

/** Two id-sorted lists merged, without duplicates. */
export function mergeMessages(
	older: readonly ChatMessage[],
	current: readonly ChatMessage[],
): readonly ChatMessage[] {
	if (older.length === 0) return current;
	const first = current[0];
	if (!first || older.at(-1)!.id < first.id) return [...older, ...current];
	return older.reduce(insertMessage, current);
}

export function withConversation(
	state: ChatState,
	id: ConversationId,
	update: (conversation: Conversation) => Conversation,
): ChatState {
	const conversation = update(state.conversations[id] ?? newConversation(id));
	return { ...state, conversations: { ...state.conversations, [id]: conversation } };
}

export const withOrder = (state: ChatState, id: ConversationId): ChatState =>
	state.order.includes(id) ? state : { ...state, order: [...state.order, id] };

const byName = <T extends { name: string }>(a: T, b: T) =>
	a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

export const sortedByName = <T extends { name: string }>(items: readonly T[]): T[] =>
	[...items].sort(byName);

function withoutGroup(state: ChatState, group: string): ChatState {
	const members = { ...state.members };
	delete members[group];
	const id = conversationId('group', group);
	return {
		...state,
		groups: state.groups.filter((entry) => entry.name !== group),
		members,
		order: state.order.filter((entry) => entry !== id),
	};
}

function withMembers(
	state: ChatState,
	group: string,
	update: (members: readonly ChatUser[]) => readonly ChatUser[],
) {
	const members = state.members[group];
	return members ? { ...state, members: { ...state.members, [group]: update(members) } } : state;
}

function withMemberCount(state: ChatState, group: string, change: number): ChatState {
	return {
		...state,
		groups: state.groups.map((entry) =>
			entry.name === group ? { ...entry, members: Math.max(1, entry.members + change) } : entry,
		),
	};
}

/** Applies a NOTIFY group event; what needs the server (a new group's details) is fetched apart. */
export function applyGroupEvent(
	state: ChatState,
	event: GroupEvent,
): { state: ChatState; notice?: string } {
	const { group, user, by, role } = event;
	const mine = user === state.me;
	const byOther = by !== state.me;
	switch (event.event) {
		case 'deleted':
			return {
				state: withoutGroup(state, group),
				notice: byOther ? `${group} was deleted by ${by}` : undefined,
			};
		case 'removed': {
			if (mine)
				return {
					state: withoutGroup(state, group),
					notice: byOther ? `${by} removed you from ${group}` : undefined,
				};
			const known = state.members[group]?.some((member) => member.name === user);
			const next = withMembers(state, group, (members) =>
				members.filter((member) => member.name !== user),
			);
			return { state: known === false ? next : withMemberCount(next, group, -1) };
		}
		case 'added':
		case 'role': {
			if (!user) return { state };
			const profile = state.users.find((entry) => entry.name === user);
			const member: ChatUser = {
				name: user,
				displayName: profile?.displayName ?? user,
				online: profile?.online ?? false,
				role: role ?? 'user',
			};
			const known = state.members[group]?.some((entry) => entry.name === user) ?? false;
			let next = withMembers(state, group, (members) =>
				sortedByName([...members.filter((entry) => entry.name !== user), member]),
			);
			if (mine && event.event === 'role' && role) {
				next = {
					...next,
					groups: next.groups.map((entry) => (entry.name === group ? { ...entry, role } : entry)),
				};
			}
			if (event.event === 'added' && !known && !mine) next = withMemberCount(next, group, 1);
			const notice =
				mine && byOther
					? event.event === 'added'
						? `${by} added you to ${group}`
						: `${by} made you ${role} of ${group}`
					: undefined;
			return { state: next, notice };
		}
	}
}
