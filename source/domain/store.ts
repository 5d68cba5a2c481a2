import type {
	GroupRecord,
	MemberRecord,
	MembershipSummary,
	LocatedMessage,
	MessageRecord,
	NewMessage,
	Role,
	SearchQuery,
	SessionRecord,
	UnreadConversation,
	UserRecord,
} from './types.js';

/** One user as the operator sees them (`korichat admin users`): no password hash. */
export type UserOverview = {
	readonly name: string;
	readonly displayName: string;
	readonly createdAt: string;
	/** Sessions in the store (an expired one counts until the hourly sweep drops it). */
	readonly sessions: number;
	/** The newest lastUsedAt of the user's sessions (ms since the epoch); null when they have none. */
	readonly lastSeen: number | null;
	readonly disabled: boolean;
};

export type GroupOverview = {
	readonly group: GroupRecord;
	readonly members: number;
	/** Messages in its history, tombstones included. */
	readonly messages: number;
};

/** A session as the operator sees it: the id's hash (secrets.ts), never the id. */
export type SessionOverview = {
	readonly idHash: string;
	readonly createdAt: number;
	readonly lastUsedAt: number;
};

export type StoreCounts = {
	readonly users: number;
	readonly groups: number;
	/** Messages in every history, tombstones included. */
	readonly messages: number;
	/** Messages pending for a user (what `pending` would give), summed over every user. */
	readonly queueDepth: number;
};

export type StorageSize = {
	/** Everything the database takes: sql.js its snapshot and journals, PostgreSQL pg_database_size. */
	readonly databaseBytes: number;
	/** sql.js: the journals' part of it; null where there is no journal of ours. */
	readonly journalBytes: number | null;
};

export type AppendedMessage = {
	readonly message: MessageRecord;
	/**
	 * Who it was queued for: the other user of a direct message or every member of the group,
	 * and the sender too (§7.1: their other devices get it through the queue).
	 */
	readonly recipients: readonly string[];
	/** True when a message with the same Send-Id was stored before: nothing new was written. */
	readonly repeated: boolean;
};

/**
 * One group's membership inside `ChatStore.changeGroup`: reads see the writes made before them,
 * and no other change to the same group runs in between (on any node).
 */
export interface GroupChange {
	/** The group as it is now; undefined when it was deleted meanwhile. */
	readonly group: GroupRecord | undefined;
	members(): Promise<MemberRecord[]>;
	/** Adds members or changes their role. */
	put(members: readonly MemberRecord[]): Promise<void>;
	remove(users: readonly string[]): Promise<void>;
	/** Deletes the group, its memberships, its messages and their queue entries. */
	delete(): Promise<void>;
}

/**
 * Everything the domain keeps. Asynchronous so that a networked database can stand behind it.
 * A write resolves once it is applied (later reads see it); `whenDurable()` resolves once every
 * write applied so far is on disk.
 */
export interface ChatStore {
	isNameTaken(name: string): Promise<boolean>;

	/** False when the name is taken by a user or a group. */
	createUser(user: UserRecord): Promise<boolean>;
	findUser(name: string): Promise<UserRecord | undefined>;
	listUsers(): Promise<UserRecord[]>;

	/**
	 * False, and nothing stored, when the user is unknown or disabled: a login whose password
	 * checked out while an operator disabled the account gets no session.
	 */
	createSession(session: SessionRecord): Promise<boolean>;
	findSession(id: string): Promise<SessionRecord | undefined>;
	touchSession(id: string, lastUsedAt: number): Promise<void>;
	deleteSession(id: string): Promise<void>;
	deleteSessionsUnusedSince(time: number): Promise<number>;

	/** Creates the group with its owner as the first member; undefined when the name is taken. */
	createGroup(name: string, owner: string, createdAt: string): Promise<GroupRecord | undefined>;
	findGroup(name: string): Promise<GroupRecord | undefined>;
	groupsOf(user: string): Promise<MembershipSummary[]>;
	membersOf(groupId: number): Promise<MemberRecord[]>;
	roleOf(groupId: number, user: string): Promise<Role | undefined>;
	/**
	 * Runs `change` as one transaction with the group locked: what it reads cannot change under it
	 * and its writes apply together, so two admins changing one group at once lose no update.
	 */
	changeGroup<T>(groupId: number, change: (group: GroupChange) => Promise<T>): Promise<T>;

	/**
	 * Sets the user's password hash and deletes every session of theirs but `keepSessionId`, in one
	 * transaction; returns the deleted sessions' id hashes (secrets.ts).
	 */
	changePassword(user: string, passwordHash: string, keepSessionId: string): Promise<string[]>;

	/**
	 * Stores the message (with its `replyTo`) and queues it, in one transaction, for its recipients:
	 * the other user of a direct message, or every member of `groupId`, and the sender as well
	 * (§7.1; a direct message to oneself is queued once). Its search entry is written with it. Message ids increase with the
	 * order in which appends commit, with none skipped: once a message is visible to `pending`,
	 * so is every message with a smaller id that will ever exist. With a `sendId` that the
	 * sender used in the last 24 hours, nothing is written and the earlier message comes back.
	 */
	appendMessage(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
		sendId?: string,
	): Promise<AppendedMessage>;
	/** The highest message id committed so far (0 when there is none). */
	lastMessageId(): Promise<number>;
	/** The message with this id, deleted or not, and its conversation; undefined when none. */
	findMessage(id: number): Promise<LocatedMessage | undefined>;
	/**
	 * Replaces the text of a message that is not deleted and sets `edited`; its search entry
	 * follows. Undefined when there is no such message or it is deleted.
	 */
	editMessage(id: number, body: string, editedAt: string): Promise<MessageRecord | undefined>;
	/**
	 * Makes the message a tombstone (body "", deleted), drops its search entry and its queue
	 * entries (it is never pushed again). Undefined when there is none or it was deleted already.
	 */
	deleteMessage(id: number): Promise<MessageRecord | undefined>;
	/** The newest `limit` messages with id < before (all when undefined), oldest first, tombstones included. */
	history(
		conversation: string,
		before: number | undefined,
		limit: number,
	): Promise<MessageRecord[]>;
	/** Queued messages for the user with id > afterId, oldest first, with their current text; never a deleted one. */
	pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]>;
	/** Drops the user's queue entries with id ≤ uptoId. */
	acknowledge(user: string, uptoId: number): Promise<void>;

	/** Moves the user's read position in the conversation to max(old, upToId); returns the new one. */
	markRead(user: string, conversation: string, upToId: number): Promise<number>;
	/**
	 * Every conversation of the user's with at least one message: each direct one either way and
	 * each group the user is a member of now; newest lastId first. Tombstones count for lastId,
	 * never as unread (see UnreadConversation).
	 */
	unread(user: string): Promise<UnreadConversation[]>;
	/**
	 * Full-text search through an index (never a scan of every message), newest first, over the
	 * conversations the user can read now (their direct messages, the groups they are a member
	 * of) or only `query.conversation`. Words are those of domain/search-words.ts; deleted
	 * messages never match, edited ones match their newest text.
	 */
	search(user: string, query: SearchQuery): Promise<MessageRecord[]>;

	/** Every user with their sessions' count and last use, by name (`korichat admin users`). */
	userOverviews(): Promise<UserOverview[]>;
	/** Every group with its members' and messages' counts, by name. */
	groupOverviews(): Promise<GroupOverview[]>;
	/** The user's sessions, most recently used first. */
	sessionsOf(user: string): Promise<SessionOverview[]>;
	/**
	 * Marks the user disabled (findUser gives `disabled: true`) or enabled. Disabling deletes every
	 * session of theirs in the same transaction; returns the deleted sessions' id hashes ([] when
	 * enabling), or undefined when there is no such user.
	 */
	setDisabled(user: string, disabled: boolean): Promise<string[] | undefined>;
	counts(): Promise<StoreCounts>;
	storageSize(): Promise<StorageSize>;
	/**
	 * Queue entries not yet acknowledged, over every user: what `pending` would return for each
	 * with no limit (a gauge for the metrics; it reads the queues, not every message).
	 */
	queueDepth(): Promise<number>;
	/**
	 * Resolves once a write could land now; rejects with the reason when it could not: the store
	 * failed, the disk is full, the database is read-only or does not commit.
	 */
	probeWritable(): Promise<void>;

	whenDurable(): Promise<void>;
	close(): Promise<void>;
}
