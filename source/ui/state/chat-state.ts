import type { ChatGroup, ChatMessage, ChatUser, ConnectionState } from '../../client/index.js';
import type { Scroll } from '../layout/message-layout.js';
import type { Completion } from './completion.js';
import type { Compose, MessageSelection } from './message-selection.js';
import type { SearchOverlay } from './search-results.js';
import { emptyInput, type TextInput } from './text-input.js';
import type { TimelineItem } from './timeline.js';

export type ConversationKind = 'user' | 'group';
/** `user:josie` or `group:chat` (users and groups share one namespace, but the kind matters). */
export type ConversationId = `${ConversationKind}:${string}`;

export const conversationId = (kind: ConversationKind, name: string): ConversationId =>
	`${kind}:${name}`;

export function parseConversationId(id: ConversationId): { kind: ConversationKind; name: string } {
	const colon = id.indexOf(':');
	return { kind: id.slice(0, colon) as ConversationKind, name: id.slice(colon + 1) };
}

export type Conversation = {
	readonly id: ConversationId;
	readonly kind: ConversationKind;
	readonly name: string;
	/** Messages, notes and pending messages, sorted by id, without duplicates. */
	readonly messages: readonly TimelineItem[];
	/** `more`: older messages may exist on the server; `complete`: the oldest is loaded. */
	readonly history: 'unloaded' | 'loading' | 'more' | 'complete' | 'failed';
	/**
	 * History pages cover every message from this id to the newest (undefined: none fetched yet).
	 * Pushed messages alone may have gaps: your own, sent from another device, are not pushed.
	 */
	readonly historyFrom: number | undefined;
	readonly unread: number;
	/** An unread message mentions the reader (or is a direct message). */
	readonly mentioned: boolean;
	/** The first message that arrived unseen since the conversation was last open. */
	readonly firstUnread: number | undefined;
	/** The "new messages" line shown above this message while the conversation stays open. */
	readonly marker: number | undefined;
	/** Your read position on the server (§7.2): messages above it are read on every device. */
	readonly lastRead: number | undefined;
	/** Why you can no longer write here ("alice removed you from #ops"), for a group that ended. */
	readonly ended: string | undefined;
	readonly scroll: Scroll;
};

export type Focus = 'users' | 'groups' | 'input';
export const focusOrder: readonly Focus[] = ['users', 'groups', 'input'];

export type Overlay =
	| { readonly kind: 'help' }
	| { readonly kind: 'switcher' }
	| { readonly kind: 'create-group' }
	| { readonly kind: 'add-members'; readonly group: string }
	| { readonly kind: 'members'; readonly group: string }
	| { readonly kind: 'confirm'; readonly action: 'leave' | 'delete'; readonly group: string }
	| { readonly kind: 'notices' }
	/** Delete one message (asks first). */
	| { readonly kind: 'confirm-delete'; readonly message: ChatMessage }
	| SearchOverlay
	| { readonly kind: 'passwd' };

export type Notice = {
	readonly kind: 'error' | 'info';
	readonly text: string;
	readonly serial: number;
	/** When it was shown, as an ISO date, when known. */
	readonly date?: string;
};

export type Connection = {
	readonly state: ConnectionState;
	/** While offline: when the next attempt is due. */
	readonly retryInMs?: number;
	/** …as a time (ms since the epoch), for a countdown. */
	readonly retryAt?: number;
	readonly error?: string;
};

export type ChatState = {
	/** The logged-in user; undefined shows the login screen. */
	readonly me: string | undefined;
	readonly connection: Connection;
	/** Everyone, sorted by name. */
	readonly users: readonly ChatUser[];
	/** The reader's groups, sorted by name. */
	readonly groups: readonly ChatGroup[];
	/** Members of groups whose member list was fetched, with roles. */
	readonly members: Readonly<Record<string, readonly ChatUser[]>>;
	readonly conversations: Readonly<Partial<Record<ConversationId, Conversation>>>;
	/** The conversation list (Alt+1…9, Ctrl+N/P): groups, then direct messages as they start. */
	readonly order: readonly ConversationId[];
	readonly open: ConversationId | undefined;
	readonly focus: Focus;
	/** The highlighted entry of each pane, by name. */
	readonly selected: { readonly users: string | undefined; readonly groups: string | undefined };
	readonly overlay: Overlay | undefined;
	readonly notice: Notice | undefined;
	/** Ring the terminal bell for a mention or a direct message elsewhere. */
	readonly bell: boolean;
	/** What is being typed, per conversation (`''` when none is open): switching loses nothing. */
	readonly drafts: Readonly<Record<string, TextInput>>;
	/** Inputs sent, newest last, for ↑/↓ in the input line. */
	readonly sent: readonly string[];
	/** Position while recalling `sent` (undefined: editing a fresh draft). */
	readonly recall: number | undefined;
	/** Messages pushed while a login is still being answered, filed once it is known whose they are. */
	readonly early: readonly ChatMessage[];
	/** The connection was lost since the last time it was up (the conversation was told). */
	readonly outage: boolean;
	/** Messages typed but not yet stored by the server, oldest first. */
	readonly outbox: readonly TimelineItem[];
	/** Every error shown this session, newest last, whole (the status bar cuts them). */
	readonly notices: readonly Notice[];
	/** The Tab completion under way in the input line. */
	readonly completion: Completion | undefined;
	/** The message picked in selection mode (↑ from an empty input). */
	readonly selection: MessageSelection | undefined;
	/** A reply or an edit being written in the input. */
	readonly compose: Compose | undefined;
	/** Who is typing, per conversation: user → until when (ms since the epoch). */
	readonly typing: Readonly<Partial<Record<ConversationId, Readonly<Record<string, number>>>>>;
};

export function initialChatState(options: { me?: string; bell?: boolean } = {}): ChatState {
	return {
		me: options.me,
		connection: { state: 'idle' },
		users: [],
		groups: [],
		members: {},
		conversations: {},
		order: [],
		open: undefined,
		focus: 'input',
		selected: { users: undefined, groups: undefined },
		overlay: undefined,
		notice: undefined,
		bell: options.bell ?? true,
		drafts: {},
		sent: [],
		recall: undefined,
		early: [],
		outage: false,
		outbox: [],
		notices: [],
		completion: undefined,
		selection: undefined,
		compose: undefined,
		typing: {},
	};
}

export const draftKey = (state: ChatState): string => state.open ?? '';

export const currentDraft = (state: ChatState): TextInput =>
	state.drafts[draftKey(state)] ?? emptyInput;

/** The conversation a message belongs to, seen by `me`. */
export function conversationOf(message: ChatMessage, me: string | undefined): ConversationId {
	if (message.group !== null) return conversationId('group', message.group);
	return conversationId('user', message.from === me ? message.to : message.from);
}

export function newConversation(id: ConversationId): Conversation {
	const { kind, name } = parseConversationId(id);
	return {
		id,
		kind,
		name,
		messages: [],
		history: 'unloaded',
		historyFrom: undefined,
		unread: 0,
		mentioned: false,
		firstUnread: undefined,
		marker: undefined,
		lastRead: undefined,
		ended: undefined,
		scroll: undefined,
	};
}
