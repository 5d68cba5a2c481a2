import type {
	ChatMessage,
	DeleteEvent,
	EditEvent,
	ReadEvent,
	TypingEvent,
	UnreadConversation,
} from '../../client/index.js';
import type { ConversationId } from './chat-state.js';
import type { Compose, ViewSize } from './message-selection.js';

/**
 * What §7 adds to the UI state: read positions, edits and deletes, typing, selection mode,
 * replies and edits in the input, and search. Kebab-case, past tense, as `ChatAction`.
 */
export type MessageAction =
	| { readonly type: 'unread-listed'; readonly conversations: readonly UnreadConversation[] }
	| { readonly type: 'read-moved'; readonly event: ReadEvent }
	| { readonly type: 'message-edited'; readonly event: Omit<EditEvent, 'from'> & { from: string } }
	| { readonly type: 'message-deleted'; readonly event: Omit<DeleteEvent, 'by'> }
	/** `until`: when the indicator goes unless renewed (ms since the epoch). */
	| { readonly type: 'typing-started'; readonly event: TypingEvent; readonly until: number }
	| { readonly type: 'typing-expired'; readonly now: number }
	| { readonly type: 'message-selection-started' }
	| { readonly type: 'message-selection-moved'; readonly step: 1 | -1; readonly view: ViewSize }
	/** A search result jumped to: selected and in view. */
	| { readonly type: 'message-selected'; readonly id: ConversationId; readonly messageId: number }
	| { readonly type: 'message-selection-ended' }
	| { readonly type: 'compose-started'; readonly mode: Compose['mode'] }
	| { readonly type: 'compose-ended' }
	| { readonly type: 'search-opened'; readonly words: string; readonly in: string | undefined }
	| { readonly type: 'search-requested'; readonly words: string }
	| {
			readonly type: 'search-loaded';
			readonly serial: number;
			readonly results: readonly ChatMessage[];
	  }
	| { readonly type: 'search-failed'; readonly serial: number; readonly error: string };

const types: ReadonlySet<string> = new Set<MessageAction['type']>([
	'unread-listed',
	'read-moved',
	'message-edited',
	'message-deleted',
	'typing-started',
	'typing-expired',
	'message-selection-started',
	'message-selection-moved',
	'message-selected',
	'message-selection-ended',
	'compose-started',
	'compose-ended',
	'search-opened',
	'search-requested',
	'search-loaded',
	'search-failed',
]);

export const isMessageAction = (action: { readonly type: string }): action is MessageAction =>
	types.has(action.type);
