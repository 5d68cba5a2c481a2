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
	readonly body: string;
	/** ISO 8601, UTC. */
	readonly date: string;
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
