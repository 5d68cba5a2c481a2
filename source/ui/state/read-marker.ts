import type { Conversation } from './chat-state.js';

/**
 * Where the "new messages" line goes when a conversation is opened with unread messages: above
 * the first message after the server's read position (§7.2), skipping your own; until history has
 * loaded that message, right after the position (the layout puts the line above the first message
 * with an id at or above it). Without a server position: the first message that arrived unseen.
 */
export function readMarkerPosition(conversation: Conversation, me?: string): number | undefined {
	if (conversation.unread <= 0) return undefined;
	const { lastRead } = conversation;
	if (lastRead === undefined) return conversation.firstUnread;
	const first = conversation.messages.find(
		(item) => item.note === undefined && item.id > lastRead && item.from !== me,
	);
	return first?.id ?? lastRead + 1;
}
