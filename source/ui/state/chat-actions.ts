import type { ChatGroup, ChatMessage, ChatUser, GroupEvent } from '../../client/index.js';
import type {
	ChatState,
	Connection,
	ConversationId,
	Focus,
	Notice,
	Overlay,
} from './chat-state.js';
import type { TextEdit } from './text-input.js';
import type { SavedView } from '../storage/view-store.js';
import type { TimelineItem } from './timeline.js';
import type { MessageAction } from './message-actions.js';

/** Everything that changes the UI state; action types are kebab-case, past tense: what happened. */
export type ChatAction =
	| { readonly type: 'signed-in'; readonly user: string }
	| { readonly type: 'signed-out'; readonly reason: 'logout' | 'expired' }
	/** What the last run left (order, drafts), laid over a fresh login. */
	| { readonly type: 'view-restored'; readonly view: SavedView }
	| {
			readonly type: 'connection-changed';
			readonly connection: Connection;
			/** When it happened (ISO), for the line it writes in the open conversation. */
			readonly date?: string;
	  }
	| { readonly type: 'users-listed'; readonly users: readonly ChatUser[] }
	| { readonly type: 'groups-listed'; readonly groups: readonly ChatGroup[] }
	| {
			readonly type: 'members-listed';
			readonly group: string;
			readonly members: readonly ChatUser[];
	  }
	| { readonly type: 'presence-changed'; readonly user: string; readonly online: boolean }
	| { readonly type: 'user-registered'; readonly user: string; readonly displayName: string }
	| { readonly type: 'group-changed'; readonly event: GroupEvent; readonly date?: string }
	| { readonly type: 'group-created'; readonly group: ChatGroup }
	| { readonly type: 'group-gone'; readonly group: string }
	| { readonly type: 'message-received'; readonly message: ChatMessage }
	| {
			readonly type: 'message-sent';
			readonly message: ChatMessage;
			/** The outbox entry it was (its pending line goes). */
			readonly sendId?: string;
	  }
	/** Typed and waiting for the server (shown dim, with a clock, until sent). */
	| { readonly type: 'message-queued'; readonly id: ConversationId; readonly item: TimelineItem }
	/** The server refused it: its pending line goes (the text goes back to the draft apart). */
	| { readonly type: 'message-failed'; readonly sendId: string }
	| { readonly type: 'history-requested'; readonly id: ConversationId }
	| {
			readonly type: 'history-loaded';
			readonly id: ConversationId;
			readonly messages: readonly ChatMessage[];
			readonly complete: boolean;
	  }
	| { readonly type: 'history-failed'; readonly id: ConversationId }
	| {
			readonly type: 'conversation-opened';
			readonly id: ConversationId;
			/** Opened by a command typed in the input: what was typed since goes along. */
			readonly carryDraft?: boolean;
	  }
	/** Closed by the reader: it leaves the list (Alt+numbers) until it is opened again. */
	| { readonly type: 'conversation-closed'; readonly id: ConversationId }
	| { readonly type: 'focus-moved'; readonly focus: Focus }
	/** Text typed while a pane had the focus: it goes to the input, which takes the focus. */
	| { readonly type: 'typed-in-pane'; readonly text: string }
	| { readonly type: 'focus-cycled'; readonly step: 1 | -1 }
	/** Tab with the input focused: completes a name, or (nothing to complete) moves the focus. */
	| { readonly type: 'input-tabbed' }
	| { readonly type: 'selection-moved'; readonly pane: 'users' | 'groups'; readonly step: number }
	| {
			readonly type: 'message-view-scrolled';
			/** Positive: back in time. */
			readonly rows: number;
			readonly width: number;
			readonly height: number;
	  }
	| { readonly type: 'message-view-pinned' }
	| { readonly type: 'overlay-opened'; readonly overlay: Overlay }
	| { readonly type: 'overlay-closed' }
	| {
			readonly type: 'notice-shown';
			readonly kind: Notice['kind'];
			readonly text: string;
			readonly date?: string;
	  }
	| { readonly type: 'notice-cleared'; readonly serial: number }
	| { readonly type: 'bell-set'; readonly on: boolean }
	| { readonly type: 'draft-edited'; readonly edit: TextEdit }
	| { readonly type: 'draft-sent'; readonly text: string }
	| { readonly type: 'draft-restored'; readonly key: string; readonly text: string }
	| { readonly type: 'input-recalled'; readonly step: 1 | -1 }
	| MessageAction;

export type ChatDispatch = (action: ChatAction) => void;
export type ChatStateGetter = () => ChatState;
