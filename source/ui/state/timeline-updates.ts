import type { GroupEvent } from '../../client/index.js';
import type { ChatAction } from './chat-actions.js';
import { conversationId, type ChatState, type ConversationId } from './chat-state.js';
import { insertMessage, withConversation } from './conversation-updates.js';
import { groupEventText, noteItem } from './timeline.js';

/** Fallback date for a note whose action carried none (tests): the epoch, never "now". */
const noDate = new Date(0).toISOString();

/** A dim line at the end of a conversation (only of one that exists or is open). */
export function withNote(
	state: ChatState,
	id: ConversationId,
	text: string,
	date = noDate,
): ChatState {
	return withConversation(state, id, (conversation) => ({
		...conversation,
		messages: insertMessage(conversation.messages, noteItem(conversation.messages, text, date)),
	}));
}

/**
 * A group event as a line in the group's conversation, for every member; when it ends your part
 * in the group (removed by someone, or deleted), the conversation says so and takes no more input.
 */
export function noteGroupEvent(state: ChatState, event: GroupEvent, date?: string): ChatState {
	const id = conversationId('group', event.group);
	const text = groupEventText(event, state.me);
	let next = withNote(state, id, text, date);
	const mine = event.user === state.me;
	const ended =
		event.event === 'deleted' || (event.event === 'removed' && mine)
			? `${event.by === state.me ? 'You' : event.by} ${event.event === 'deleted' ? `deleted #${event.group}` : event.by === state.me ? `left #${event.group}` : `removed you from #${event.group}`}`
			: undefined;
	if (ended || (event.event === 'added' && mine)) {
		next = withConversation(next, id, (conversation) => ({ ...conversation, ended }));
	}
	return next;
}

/** The connection's ups and downs, written in the open conversation (once per outage). */
export function noteConnection(
	state: ChatState,
	action: Extract<ChatAction, { type: 'connection-changed' }>,
): ChatState {
	const { connection, date } = action;
	const next = { ...state, connection };
	if (connection.state === 'offline' && !state.outage) {
		const why = connection.error ?? 'Connection lost';
		const text = `${why}. What you send waits (◷) and goes when it is back; F5 or /reconnect retries now.`;
		return { ...(state.open ? withNote(next, state.open, text, date) : next), outage: true };
	}
	if (connection.state === 'online' && state.outage) {
		const waiting = state.outbox.length;
		const text = `Connected again${waiting ? `: sending ${waiting} waiting message${waiting === 1 ? '' : 's'}` : ''}.`;
		return { ...(state.open ? withNote(next, state.open, text, date) : next), outage: false };
	}
	return next;
}
