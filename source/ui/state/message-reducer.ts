import type { ChatState } from './chat-state.js';
import type { MessageAction } from './message-actions.js';
import { messageDeleted, messageEdited } from './message-changes.js';
import {
	endCompose,
	moveMessageSelection,
	selectMessage,
	startCompose,
	startSelection,
} from './message-selection.js';
import { readMoved, unreadListed } from './read-positions.js';
import { searchAnswered, searchOpened, searchRequested } from './search-results.js';
import { typingExpired, typingStarted } from './typing-indicator.js';

/** The §7 slices of the state (see chat-reducer for the rest); pure. */
export function messageReducer(state: ChatState, action: MessageAction): ChatState {
	switch (action.type) {
		case 'unread-listed':
			return unreadListed(state, action.conversations);
		case 'read-moved':
			return readMoved(state, action.event);
		case 'message-edited':
			return messageEdited(state, action.event);
		case 'message-deleted':
			return messageDeleted(state, action.event);
		case 'typing-started':
			return typingStarted(state, action.event, action.until);
		case 'typing-expired':
			return typingExpired(state, action.now);
		case 'message-selection-started':
			return startSelection(state);
		case 'message-selection-moved':
			return moveMessageSelection(state, action.step, action.view);
		case 'message-selected':
			return selectMessage(state, action.id, action.messageId);
		case 'message-selection-ended':
			return state.selection ? { ...state, selection: undefined } : state;
		case 'compose-started':
			return startCompose(state, action.mode);
		case 'compose-ended':
			return endCompose(state);
		case 'search-opened':
			return searchOpened(state, action.words, action.in);
		case 'search-requested':
			return searchRequested(state, action.words);
		case 'search-loaded':
			return searchAnswered(state, action.serial, { results: action.results });
		case 'search-failed':
			return searchAnswered(state, action.serial, { error: action.error });
	}
}
