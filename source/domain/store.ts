import type {
	GroupRecord,
	MemberRecord,
	MembershipSummary,
	MessageRecord,
	NewMessage,
	Role,
	SessionRecord,
	UserRecord,
} from './types.js';

export type AppendedMessage = {
	readonly message: MessageRecord;
	/** Who it was queued for. */
	readonly recipients: readonly string[];
};

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
	/** Deletes the group, its memberships, its messages and their queue entries. */
	deleteGroup(groupId: number): Promise<void>;
	groupsOf(user: string): Promise<MembershipSummary[]>;
	membersOf(groupId: number): Promise<MemberRecord[]>;
	roleOf(groupId: number, user: string): Promise<Role | undefined>;
	/** Adds members or changes their role, in one transaction. */
	putMembers(groupId: number, members: readonly MemberRecord[]): Promise<void>;
	removeMembers(groupId: number, users: readonly string[]): Promise<void>;

	/**
	 * Stores the message and queues it, in one transaction, for its recipients: the other user of a
	 * direct message, or every member of `groupId` but the sender.
	 */
	appendMessage(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
	): Promise<AppendedMessage>;
	/** The newest `limit` messages with id < before (all when undefined), oldest first. */
	history(
		conversation: string,
		before: number | undefined,
		limit: number,
	): Promise<MessageRecord[]>;
	/** Queued messages for the user with id > afterId, oldest first. */
	pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]>;
	/** Drops the user's queue entries with id ≤ uptoId. */
	acknowledge(user: string, uptoId: number): Promise<void>;

	whenDurable(): Promise<void>;
	close(): Promise<void>;
}
