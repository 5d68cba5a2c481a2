import type { SavedView } from '../storage/view-store.js';
import type { ChatState, ConversationId } from './chat-state.js';

/** What of the state a restart keeps: the open conversation, the list's order, the drafts. */
export function viewToSave(state: ChatState): SavedView {
	const drafts: Record<string, string> = {};
	for (const [key, draft] of Object.entries(state.drafts))
		if (draft.text !== '') drafts[key] = draft.text;
	return { open: state.open, order: state.order, drafts };
}

/**
 * A saved view laid over a fresh login: the saved order first (so every conversation gets its old
 * number back), then anything listed since; a draft typed already wins over a saved one.
 */
export function restoreView(state: ChatState, view: SavedView): ChatState {
	const order: ConversationId[] = [
		...view.order,
		...state.order.filter((id) => !view.order.includes(id)),
	];
	const drafts = { ...state.drafts };
	for (const [key, text] of Object.entries(view.drafts)) {
		if (!drafts[key]?.text) drafts[key] = { text, cursor: text.length };
	}
	return { ...state, order, drafts };
}
