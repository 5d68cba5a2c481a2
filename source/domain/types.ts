export const roles = ['owner', 'admin', 'user'] as const;
export type Role = (typeof roles)[number];

export type UserRecord = {
	readonly name: string;
	readonly displayName: string;
	readonly passwordHash: string;
	readonly createdAt: string;
	/** True while an operator has shut the account out (`korichat admin disable`); absent otherwise. */
	readonly disabled?: boolean;
};

export type SessionRecord = {
	readonly id: string;
	readonly user: string;
	readonly createdAt: number;
	readonly lastUsedAt: number;
};

export type GroupRecord = {
	readonly id: number;
	readonly name: string;
	readonly owner: string;
	readonly createdAt: string;
};

export type MemberRecord = { readonly user: string; readonly role: Role };

export type MembershipSummary = {
	readonly group: GroupRecord;
	readonly role: Role;
	readonly members: number;
};

export type MessageRecord = {
	readonly id: number;
	readonly from: string;
	readonly to: string;
	/** The group's name for a group message, else null. */
	readonly group: string | null;
	/** The current text; "" once deleted. */
	readonly body: string;
	readonly date: string;
	/** The message of the same conversation this one answers (§7.3); absent or null for none. */
	readonly replyTo?: number | null;
	/** When the text was last edited (§7.4); absent when never edited. */
	readonly edited?: string;
	/** True for a tombstone (§7.4); absent otherwise. */
	readonly deleted?: boolean;
};

export type NewMessage = Omit<MessageRecord, 'id' | 'edited' | 'deleted'>;

/** A message with where it lives, as EDIT, DELETE and Reply-To look it up. */
export type LocatedMessage = {
	readonly message: MessageRecord;
	/** The conversation key the store was given at append time. */
	readonly conversation: string;
	readonly groupId: number | null;
};

/** One conversation of the caller's as UNREAD lists it (§7.2), named from the caller's side. */
export type UnreadConversation = {
	/** The other user of a direct conversation, else the group. */
	readonly to: string;
	readonly group: string | null;
	/** The caller's read position (0 when none). */
	readonly lastRead: number;
	/** The conversation's newest message id; a tombstone counts (it stays in HISTORY). */
	readonly lastId: number;
	/**
	 * Messages with id > lastRead that the caller did not send and that are not deleted: a
	 * message deleted before it was read is nothing left to read.
	 */
	readonly unread: number;
};

/** One word of a search: a whole word, or (prefix) any word that starts with it. Lower case. */
export type SearchTerm = { readonly word: string; readonly prefix: boolean };

export type SearchQuery = {
	/** Every term must match (AND). */
	readonly terms: readonly SearchTerm[];
	/** Only this conversation key (the caller may read it: checked before); else every one the user can read. */
	readonly conversation?: string;
	/** Only ids below this. */
	readonly before?: number;
	readonly limit: number;
};
