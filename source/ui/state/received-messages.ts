import type { ChatMessage } from '../../client/index.js';
import { mentions } from '../text/mentions.js';
import type { ChatAction } from './chat-actions.js';
import { conversationOf, type ChatState } from './chat-state.js';
import { insertMessage, withConversation, withOrder } from './conversation-updates.js';
import type { TimelineItem } from './timeline.js';
import { typingStopped } from './typing-indicator.js';

/** A pending message's line and outbox entry go: it was stored, or refused. */
export function withoutPending(state: ChatState, sendId: string): ChatState {
	const item = state.outbox.find((entry) => entry.sendId === sendId);
	if (!item) return state;
	const id = conversationOf(item, state.me);
	return withConversation(
		{ ...state, outbox: state.outbox.filter((entry) => entry !== item) },
		id,
		(conversation) => ({
			...conversation,
			messages: conversation.messages.filter((entry) => entry !== item),
		}),
	);
}

/** A pending item and a stored message with the same conversation, text and reply. */
const sameMessage = (item: TimelineItem, message: ChatMessage, me: string | undefined) =>
	conversationOf(item, me) === conversationOf(message, me) &&
	item.body === message.body &&
	(item.replyTo ?? null) === (message.replyTo ?? null);

/**
 * A message pushed (`message-received`) or stored after sending here (`message-sent`), filed in
 * its conversation once, counted unread where you are not looking.
 */
export function receive(
	state: ChatState,
	action: Extract<ChatAction, { type: 'message-received' | 'message-sent' }>,
): ChatState {
	const { message } = action;
	if (!state.me) return { ...state, early: [...state.early, message] };
	if (action.type === 'message-sent' && action.sendId) state = withoutPending(state, action.sendId);
	// Your own message pushed back before its SEND was answered (a re-bind, §7.1): it is the
	// pending line's message, which goes, so the text shows once.
	const echo =
		action.type === 'message-received' && message.from === state.me
			? state.outbox.find((item) => sameMessage(item, message, state.me))
			: undefined;
	if (echo?.sendId) state = withoutPending(state, echo.sendId);
	const id = conversationOf(message, state.me);
	const unseen =
		action.type === 'message-received' && state.open !== id && message.from !== state.me;
	const next = withConversation(state, id, (conversation) => {
		const messages = insertMessage(conversation.messages, message);
		if (messages === conversation.messages) return conversation;
		return {
			...conversation,
			messages,
			unread: conversation.unread + (unseen ? 1 : 0),
			firstUnread: unseen ? (conversation.firstUnread ?? message.id) : conversation.firstUnread,
			mentioned: conversation.mentioned || (unseen && mentions(message.body, state.me ?? '')),
			// Your own message brings the view back to the newest line.
			scroll: action.type === 'message-sent' ? undefined : conversation.scroll,
		};
	});
	return typingStopped(withOrder(next, id), id, message.from);
}
