export const roles = ['owner', 'admin', 'user'] as const;
export type Role = (typeof roles)[number];

/** A message, as pushed (MSG) or listed (HISTORY). */
export type ChatMessage = {
	/** Positive, increasing across the server. */
	readonly id: number;
	readonly from: string;
	/** The recipient user, or the group for a group message. */
	readonly to: string;
	/** The group's name for a group message, else null. */
	readonly group: string | null;
	/** The current text; "" when deleted. */
	readonly body: string;
	/** ISO 8601, UTC. */
	readonly date: string;
	/** The id of the message of the same conversation this one answers (§7.3). */
	readonly replyTo?: number | null;
	/** When it was last edited (§7.4); absent when never edited. */
	readonly edited?: string;
	/** True when deleted (a tombstone: body ""). */
	readonly deleted?: boolean;
};

export type ChatUser = {
	readonly name: string;
	readonly displayName: string;
	readonly online: boolean;
	/** Set when listing a group's members. */
	readonly role?: Role;
};

/** One of the caller's groups. */
export type ChatGroup = {
	readonly name: string;
	readonly owner: string;
	/** The caller's role in it. */
	readonly role: Role;
	readonly members: number;
};

export type Invitation = { readonly user: string; readonly role?: 'admin' | 'user' };

/**
 * One HISTORY answer, oldest first. `more`: the server stopped before `limit` because the page
 * reached its size bound (about 1 MiB) and older messages remain; page on with `before` = the
 * oldest id. A page may thus hold fewer than `limit` messages while history goes on.
 */
export type HistoryPage = { readonly messages: ChatMessage[]; readonly more: boolean };

export type HistoryOptions = {
	/** Only messages with a smaller id (to page backwards). */
	readonly before?: number;
	/** Default 50, at most 500 (server side). */
	readonly limit?: number;
};

export type SendOptions = {
	/** A token unique to this message (see newSendId); a retry of the message reuses it. */
	readonly sendId?: string;
	/** The id of a message of the same conversation that this one answers. */
	readonly replyTo?: number;
};

/** One conversation of yours as UNREAD lists it (§7.2). */
export type UnreadConversation = {
	/** The other user of a direct conversation, or the group. */
	readonly to: string;
	readonly group: string | null;
	readonly lastRead: number;
	readonly lastId: number;
	readonly unread: number;
};

export type SearchOptions = {
	/** Only this conversation (a user or a group). */
	readonly in?: string;
	/** Default 20, at most 100. */
	readonly limit?: number;
	/** Only messages with a smaller id (to page on). */
	readonly before?: number;
};

/** Your read position moved on another of your devices (NOTIFY read). */
export type ReadEvent = { readonly to: string; readonly group: string | null; readonly id: number };

/** A message was edited (NOTIFY edit). */
export type EditEvent = {
	readonly id: number;
	readonly from: string;
	readonly to: string;
	readonly group: string | null;
	readonly body: string;
	readonly edited: string;
};

/** A message was deleted (NOTIFY delete); `by` is who deleted it. */
export type DeleteEvent = {
	readonly id: number;
	readonly from: string;
	readonly to: string;
	readonly group: string | null;
	readonly by: string;
};

/**
 * Someone is typing (NOTIFY typing). For a direct message `to` is you and `group` null: the
 * conversation is `user`'s; for a group both name the group.
 */
export type TypingEvent = {
	readonly user: string;
	readonly to: string;
	readonly group: string | null;
};

export type PresenceEvent = { readonly user: string; readonly online: boolean };

/** A newly registered user. */
export type UserEvent = { readonly user: string; readonly displayName: string };

export const groupEventKinds = ['added', 'removed', 'deleted', 'role'] as const;

export type GroupEvent = {
	readonly group: string;
	readonly event: (typeof groupEventKinds)[number];
	/** Who was added, removed or given a role (absent for `deleted`). */
	readonly user?: string;
	readonly by: string;
	readonly role?: Role;
};

export type RegisteredUser = { readonly name: string; readonly displayName: string };
export type CreatedGroup = { readonly name: string; readonly owner: string };

/** What a client keeps of a login: enough to resume the session on a new connection. */
export type StoredSession = { readonly user: string; readonly sessionId: string };
