import type { ReadEvent, UnreadConversation } from '../../client/index.js';
import { withConversation, withOrder } from './conversation-updates.js';
import { conversationId, type ChatState, type ConversationId } from './chat-state.js';
import { isMessage } from './timeline.js';

/** The conversation UNREAD or a read push names (`to` is the other user, or the group). */
export function readConversation(entry: { to: string; group: string | null }): ConversationId {
	return entry.group === null
		? conversationId('user', entry.to)
		: conversationId('group', entry.group);
}

/**
 * The server's unread counts (at login and after a reconnect) replace this client's own count;
 * the open conversation counts as read (the caller tells the server so).
 */
export function unreadListed(state: ChatState, list: readonly UnreadConversation[]): ChatState {
	let next = state;
	for (const entry of list) {
		const id = readConversation(entry);
		const unread = id === state.open ? 0 : entry.unread;
		next = withConversation(next, id, (conversation) => ({
			...conversation,
			lastRead: Math.max(conversation.lastRead ?? 0, entry.lastRead),
			unread,
			mentioned: unread > 0 && conversation.mentioned,
			firstUnread: unread > 0 ? conversation.firstUnread : undefined,
		}));
		if (unread > 0) next = withOrder(next, id);
	}
	return next;
}

/**
 * Your read position moved to `id` (on another device, or here as the server answered): what is
 * loaded above it no longer counts as unread.
 */
export function readMoved(state: ChatState, event: ReadEvent): ChatState {
	const id = readConversation(event);
	return withConversation(state, id, (conversation) => {
		const lastRead = Math.max(conversation.lastRead ?? 0, event.id);
		const after = conversation.messages.filter(
			(item) => isMessage(item) && item.id > lastRead && item.from !== state.me,
		).length;
		const unread = Math.min(conversation.unread, after);
		return {
			...conversation,
			lastRead,
			unread,
			mentioned: unread > 0 && conversation.mentioned,
			firstUnread: unread > 0 ? conversation.firstUnread : undefined,
		};
	});
}
