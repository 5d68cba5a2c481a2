import type { ChatMessage, GroupEvent } from '../../client/index.js';

/**
 * One entry of a conversation's timeline: a message, or a line of our own among them. `event`
 * notes (joins, removals, a lost connection) sit just after the message they followed, at an id
 * between it and the next; `pending` messages wait in the outbox, after everything else.
 */
export type TimelineItem = ChatMessage & {
	readonly note?: 'event' | 'pending';
	/** A pending message's Send-Id. */
	readonly sendId?: string;
};

/** Pending messages sort after every id the server can hand out. */
const pendingBase = 2 ** 52;

export const isMessage = (item: TimelineItem): boolean => item.note === undefined;

/** The newest real message's id (0 when none). */
export function lastMessageId(items: readonly TimelineItem[]): number {
	for (let index = items.length - 1; index >= 0; index -= 1) {
		if (items[index]!.note !== 'pending') return Math.floor(items[index]!.id);
	}
	return 0;
}

/** A dim line after the newest message: at most 999 between two messages keep their order. */
export function noteItem(items: readonly TimelineItem[], text: string, date: string): TimelineItem {
	const base = lastMessageId(items);
	const after = items.filter((item) => item.note === 'event' && Math.floor(item.id) === base);
	const id = base + Math.min(999, after.length + 1) / 1000;
	return { id, from: '', to: '', group: null, body: text, date, note: 'event' };
}

/** A message in the outbox, placed after those already waiting (`outbox`). */
export function pendingItem(
	fields: Pick<ChatMessage, 'from' | 'to' | 'group' | 'body' | 'date' | 'replyTo'>,
	sendId: string,
	outbox: readonly TimelineItem[],
): TimelineItem {
	return { ...fields, id: (outbox.at(-1)?.id ?? pendingBase) + 1, note: 'pending', sendId };
}

/** The message a pending item became, once the server stored it as `id`. */
export function sentMessage(item: TimelineItem, id: number): ChatMessage {
	const { from, to, group, body, date, replyTo } = item;
	return replyTo
		? { id, from, to, group, body, date, replyTo }
		: { id, from, to, group, body, date };
}

const article = (role: string) =>
	role === 'admin' ? 'an admin' : role === 'owner' ? 'the owner' : 'a member';

/** What a group event says in the conversation, from the reader's side ("alice made carol an admin"). */
export function groupEventText(event: GroupEvent, me: string | undefined): string {
	const who = (name: string | undefined) => (name === me ? 'you' : (name ?? 'someone'));
	const by = who(event.by);
	const user = who(event.user);
	switch (event.event) {
		case 'added':
			return `${by} added ${user}${event.role === 'admin' ? ' as an admin' : ''}`;
		case 'removed':
			return event.user === event.by ? `${user} left` : `${by} removed ${user}`;
		case 'role':
			return `${by} made ${user} ${article(event.role ?? 'user')}`;
		case 'deleted':
			return `${by} deleted #${event.group}`;
	}
}
