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

	createSession(session: SessionRecord): Promise<void>;
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
