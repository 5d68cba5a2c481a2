import type { ChatMessage, DeleteEvent, EditEvent } from '../../client/index.js';
import { withConversation } from './conversation-updates.js';
import { conversationOf, type ChatState } from './chat-state.js';
import type { TimelineItem } from './timeline.js';

type Located = Pick<ChatMessage, 'id' | 'from' | 'to' | 'group'>;

/** Changes message `target.id` in place, where it is loaded (nothing happens elsewhere). */
function changeMessage(
	state: ChatState,
	target: Located,
	change: (message: TimelineItem) => TimelineItem,
): ChatState {
	const id = conversationOf({ ...target, body: '', date: '' }, state.me);
	const conversation = state.conversations[id];
	const index = conversation?.messages.findIndex(
		(item) => item.id === target.id && item.note === undefined,
	);
	if (!conversation || index === undefined || index === -1) return state;
	return withConversation(state, id, (entry) => ({
		...entry,
		messages: entry.messages.map((item, at) => (at === index ? change(item) : item)),
	}));
}

/** An edit (pushed, or made here): the newest text and its date, marked "(edited)". */
export function messageEdited(
	state: ChatState,
	event: Omit<EditEvent, 'from'> & Located,
): ChatState {
	return changeMessage(state, event, (message) =>
		message.deleted ? message : { ...message, body: event.body, edited: event.edited },
	);
}

/** A delete (pushed, or made here): the message stays as a tombstone, "message deleted". */
export function messageDeleted(state: ChatState, event: Omit<DeleteEvent, 'by'>): ChatState {
	const next = changeMessage(state, event, (message) => ({ ...message, body: '', deleted: true }));
	// A deleted message cannot stay selected, nor be edited.
	const selection = next.selection?.id === event.id ? undefined : next.selection;
	const editing = next.compose?.mode === 'edit' && next.compose.id === event.id;
	return {
		...next,
		selection,
		compose: editing ? undefined : next.compose,
		drafts:
			editing && next.compose?.mode === 'edit'
				? { ...next.drafts, [next.compose.conversation]: next.compose.saved }
				: next.drafts,
	};
}
