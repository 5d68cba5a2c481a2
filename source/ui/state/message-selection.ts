import type { ChatMessage } from '../../client/index.js';
import { messageWindow } from '../layout/message-layout.js';
import { withConversation } from './conversation-updates.js';
import {
	currentDraft,
	type ChatState,
	type Conversation,
	type ConversationId,
} from './chat-state.js';
import { historyBanner } from './selectors.js';
import { emptyInput, type TextInput } from './text-input.js';
import { isMessage } from './timeline.js';

/** The message picked in selection mode, in the conversation it belongs to. */
export type MessageSelection = { readonly conversation: ConversationId; readonly id: number };

/** What the input is writing besides a new message: a reply to one, or a new text for one. */
export type Compose =
	| {
			readonly mode: 'reply';
			readonly conversation: ConversationId;
			/** The message answered, as it was when the reply started (for the quoted line). */
			readonly message: ChatMessage;
	  }
	| {
			readonly mode: 'edit';
			readonly conversation: ConversationId;
			readonly id: number;
			/** What was typed before the edit began: it comes back when the edit ends. */
			readonly saved: TextInput;
	  };

/** The size of the message view, to keep the selected message in sight. */
export type ViewSize = { readonly width: number; readonly height: number };

/** Messages that can be selected: real ones (no notes, nothing pending), not deleted. */
export function selectableMessages(conversation: Conversation | undefined): ChatMessage[] {
	if (!conversation) return [];
	return conversation.messages.filter((item) => isMessage(item) && !item.deleted);
}

/** The selected message, while it is in the open conversation. */
export function selectedMessage(state: ChatState): ChatMessage | undefined {
	const { selection } = state;
	if (!selection || selection.conversation !== state.open) return undefined;
	return state.conversations[selection.conversation]?.messages.find(
		(item) => item.id === selection.id && isMessage(item),
	);
}

/** Only the sender edits a message (§7.4); a deleted one is gone. */
export function canEdit(state: ChatState, message: ChatMessage): boolean {
	return message.from === state.me && !message.deleted;
}

/** The sender deletes their own; in a group, its owner and admins delete anyone's. */
export function canDelete(state: ChatState, message: ChatMessage): boolean {
	if (message.deleted) return false;
	if (message.from === state.me) return true;
	if (message.group === null) return false;
	const role = state.groups.find((group) => group.name === message.group)?.role;
	return role === 'owner' || role === 'admin';
}

/** Scrolls the open conversation so that message `id` is on screen (`upward`: it comes in at the top). */
function showMessage(
	state: ChatState,
	conversation: Conversation,
	id: number,
	upward: boolean,
	view: ViewSize,
): ChatState {
	const options = {
		...view,
		me: state.me,
		banner: historyBanner(conversation),
		marker: conversation.marker,
	};
	const window = messageWindow(conversation.messages, conversation.scroll, options);
	const shown = window.rows.some((row) => row.message === id);
	// Cut at the top of the view is not in sight (unless nothing older is there to show).
	const cut = window.rows[0]?.message === id && !window.atOldest;
	if (shown && !cut) return state;
	const scroll =
		conversation.messages.at(-1)?.id === id
			? undefined
			: upward
				? { topId: id }
				: { anchorId: id, offset: 0 };
	return withConversation(state, conversation.id, (entry) => ({ ...entry, scroll }));
}

/** ↑ from an empty input: the newest message of the open conversation is selected. */
export function startSelection(state: ChatState): ChatState {
	if (!state.open || currentDraft(state).text !== '' || state.compose) return state;
	const newest = selectableMessages(state.conversations[state.open]).at(-1);
	if (!newest) return state;
	// The status line shows the mode's keys from now on (a notice would hide them).
	return { ...state, selection: { conversation: state.open, id: newest.id }, notice: undefined };
}

/** ↑/↓ in selection mode; ↓ past the newest message leaves the mode. */
export function moveMessageSelection(state: ChatState, step: 1 | -1, view: ViewSize): ChatState {
	const { selection } = state;
	const conversation = selection ? state.conversations[selection.conversation] : undefined;
	if (!selection || !conversation) return state;
	const messages = selectableMessages(conversation);
	const index = messages.findIndex((message) => message.id === selection.id);
	const next = messages[index + step];
	if (!next) return step === 1 ? { ...state, selection: undefined } : state;
	const moved = { ...state, selection: { ...selection, id: next.id }, notice: undefined };
	return showMessage(moved, conversation, next.id, step === -1, view);
}

/** Selects message `id` of a conversation (a search result jumped to) and shows it. */
export function selectMessage(state: ChatState, id: ConversationId, messageId: number): ChatState {
	const conversation = state.conversations[id];
	if (!conversation?.messages.some((item) => item.id === messageId)) return state;
	// Near the top of the view, a few messages of context above it and what followed below.
	const index = conversation.messages.findIndex((item) => item.id === messageId);
	const scroll = { topId: conversation.messages[Math.max(0, index - 3)]!.id };
	return withConversation(
		{ ...state, selection: { conversation: id, id: messageId } },
		id,
		(entry) => ({ ...entry, scroll }),
	);
}

/** `r`/Enter (reply) or `e` (edit) on the selected message; selection mode ends. */
export function startCompose(state: ChatState, mode: Compose['mode']): ChatState {
	const message = selectedMessage(state);
	if (!message || !state.open) return state;
	if (mode === 'reply') {
		return {
			...state,
			selection: undefined,
			compose: { mode, conversation: state.open, message },
		};
	}
	if (!canEdit(state, message)) return state;
	const text = message.body;
	return {
		...state,
		selection: undefined,
		compose: { mode, conversation: state.open, id: message.id, saved: currentDraft(state) },
		drafts: { ...state.drafts, [state.open]: { text, cursor: text.length } },
	};
}

/** The reply or edit ends (sent, saved or cancelled): an edit gives back what was typed before. */
export function endCompose(state: ChatState): ChatState {
	const { compose } = state;
	if (!compose) return state;
	if (compose.mode === 'reply') return { ...state, compose: undefined };
	return {
		...state,
		compose: undefined,
		drafts: { ...state.drafts, [compose.conversation]: compose.saved ?? emptyInput },
	};
}
