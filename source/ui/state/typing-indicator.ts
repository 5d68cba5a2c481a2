import type { TypingEvent } from '../../client/index.js';
import { conversationId, type ChatState, type ConversationId } from './chat-state.js';

/** How long "is typing…" shows after a typing push (§7.5), unless that user's message comes first. */
export const typingShownMs = 6_000;

/** At most one TYPING per this while the user types (§7.5). */
export const typingIntervalMs = 3_000;

/** The conversation a typing push is about, from the reader's side. */
export function typingConversation(event: TypingEvent): ConversationId {
	return event.group === null
		? conversationId('user', event.user)
		: conversationId('group', event.group);
}

function withTyping(
	state: ChatState,
	id: ConversationId,
	update: (users: Readonly<Record<string, number>>) => Record<string, number>,
): ChatState {
	const users = update(state.typing[id] ?? {});
	const typing = { ...state.typing };
	if (Object.keys(users).length === 0) delete typing[id];
	else typing[id] = users;
	return { ...state, typing };
}

/** `event.user` is typing until `until` (ms since the epoch). */
export function typingStarted(state: ChatState, event: TypingEvent, until: number): ChatState {
	if (event.user === state.me) return state;
	return withTyping(state, typingConversation(event), (users) => ({
		...users,
		[event.user]: until,
	}));
}

/** `user`'s message arrived in `id`: they stopped typing. */
export function typingStopped(state: ChatState, id: ConversationId, user: string): ChatState {
	if (state.typing[id]?.[user] === undefined) return state;
	return withTyping(state, id, (users) => {
		const rest = { ...users };
		delete rest[user];
		return rest;
	});
}

/** Drops every indicator due by `now`. */
export function typingExpired(state: ChatState, now: number): ChatState {
	let next = state;
	for (const [id, users] of Object.entries(state.typing) as [
		ConversationId,
		Record<string, number>,
	][]) {
		const kept = Object.fromEntries(Object.entries(users).filter(([, until]) => until > now));
		if (Object.keys(kept).length !== Object.keys(users).length)
			next = withTyping(next, id, () => kept);
	}
	return next;
}

/** When the next indicator is due to go (undefined: none shows). */
export function nextTypingExpiry(state: ChatState): number | undefined {
	const all = Object.values(state.typing).flatMap((users) => Object.values(users ?? {}));
	return all.length === 0 ? undefined : Math.min(...all);
}

/** Who is typing in `id`, by name. */
export function typingUsers(state: ChatState, id: ConversationId | undefined): string[] {
	return id ? Object.keys(state.typing[id] ?? {}).sort() : [];
}

/** "josie is typing…", "josie and john are typing…", "several people are typing…". */
export function typingText(users: readonly string[]): string | undefined {
	if (users.length === 0) return undefined;
	if (users.length === 1) return `${users[0]} is typing…`;
	if (users.length === 2) return `${users[0]} and ${users[1]} are typing…`;
	return 'several people are typing…';
}
