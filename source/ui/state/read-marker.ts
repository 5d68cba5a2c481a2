import type { Conversation } from './chat-state.js';

/**
 * Where the "new messages" line goes when a conversation is opened: above the first message that
 * arrived unseen, as this client counted it. This is the one seam to change when the server's
 * read markers (PROTOCOL.md §7.2) exist: return the first message after the server's marker.
 */
export function readMarkerPosition(conversation: Conversation): number | undefined {
	return conversation.unread > 0 ? conversation.firstUnread : undefined;
}
