import { hashSessionId } from '../domain/secrets.js';
import type {
	AppendedMessage,
	ChatStore,
	GroupChange,
	GroupOverview,
	SessionOverview,
	StorageSize,
	StoreCounts,
	UserOverview,
} from '../domain/store.js';
import type {
	GroupRecord,
	LocatedMessage,
	MemberRecord,
	MembershipSummary,
	MessageRecord,
	NewMessage,
	Role,
	SearchQuery,
	SessionRecord,
	UnreadConversation,
	UserRecord,
} from '../domain/types.js';
import type { JournaledDatabase } from './journaled-database.js';
import { exactText } from './sql-message-rows.js';
import {
	counts,
	groupOverviews,
	sessionsOf,
	setDisabled,
	storageSize,
	userOverviews,
} from './sql-admin.js';
import { forgetReadPositions, markRead, unreadConversations } from './sql-read-positions.js';
import type { SearchIndexHost } from './search-index-host.js';
import { indexedMessage, SqlMessages } from './sql-messages.js';
import { messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import { searchMessages } from './sql-search.js';

type UserRow = {
	name: string;
	display_name: Uint8Array;
	password_hash: string;
	created_at: string;
	disabled: number;
};
type SessionRow = { user: string; created_at: number; last_used_at: number };
type GroupRow = { id: number; name: string; owner: string; created_at: string };

const userColumns =
	'name, CAST(display_name AS BLOB) AS display_name, password_hash, created_at, disabled';

const toUser = (row: UserRow): UserRecord => ({
	name: row.name,
	displayName: exactText(row.display_name),
	passwordHash: row.password_hash,
	createdAt: row.created_at,
	...(row.disabled !== 0 ? { disabled: true } : {}),
});

const toGroup = (row: GroupRow): GroupRecord => ({
	id: row.id,
	name: row.name,
	owner: row.owner,
	createdAt: row.created_at,
});

const maxCachedUsers = 10_000;

/** The chat's repositories over the journaled sql.js database. */
export class SqlChatStore implements ChatStore {
	/**
	 * Users found so far: every SEND looks its target up. Nothing deletes users; changePassword
	 * and setDisabled drop their user from here.
	 */
	readonly #users = new Map<string, UserRecord>();
	/** Member names by group id, for queueing its messages; every membership change clears it. */
	readonly #memberNames = new Map<number, readonly string[]>();
	/** The tail of each group's changes: one change to a group runs at a time. */
	readonly #groupLocks = new Map<number, Promise<unknown>>();
	readonly #messages: SqlMessages;

	constructor(
		readonly db: JournaledDatabase,
		/** The search index, on its own thread; saved and ended by close(). */
		readonly searchIndex: SearchIndexHost,
	) {
		this.#messages = new SqlMessages(db, (groupId) => this.#membersOf(groupId), searchIndex);
	}

	async isNameTaken(name: string): Promise<boolean> {
		return this.#nameTaken(name);
	}

	#nameTaken(name: string): boolean {
		return (
			this.db.get('SELECT 1 AS taken FROM users WHERE name = ?', [name]) !== undefined ||
			this.db.get('SELECT 1 AS taken FROM groups WHERE name = ?', [name]) !== undefined
		);
	}

	async createUser(user: UserRecord): Promise<boolean> {
		if (this.#nameTaken(user.name)) return false;
		this.db.write((tx) =>
			tx.run(
				'INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
				[user.name, user.displayName, user.passwordHash, user.createdAt],
			),
		);
		return true;
	}

	async findUser(name: string): Promise<UserRecord | undefined> {
		const known = this.#users.get(name);
		if (known) return known;
		const row = this.db.get<UserRow>(`SELECT ${userColumns} FROM users WHERE name = ?`, [name]);
		if (!row) return undefined;
		const user = toUser(row);
		if (this.#users.size >= maxCachedUsers) this.#users.clear();
		this.#users.set(name, user);
		return user;
	}

	async listUsers(): Promise<UserRecord[]> {
		return this.db.all<UserRow>(`SELECT ${userColumns} FROM users ORDER BY name`).map(toUser);
	}

	async createSession(session: SessionRecord): Promise<boolean> {
		const user = this.db.get<{ disabled: number }>('SELECT disabled FROM users WHERE name = ?', [
			session.user,
		]);
		if (!user || user.disabled !== 0) return false;
		this.db.write((tx) =>
			tx.run('INSERT INTO sessions (id_hash, user, created_at, last_used_at) VALUES (?, ?, ?, ?)', [
				hashSessionId(session.id),
				session.user,
				session.createdAt,
				session.lastUsedAt,
			]),
		);
		return true;
	}

	async findSession(id: string): Promise<SessionRecord | undefined> {
		const row = this.db.get<SessionRow>(
			'SELECT user, created_at, last_used_at FROM sessions WHERE id_hash = ?',
			[hashSessionId(id)],
		);
		return row && { id, user: row.user, createdAt: row.created_at, lastUsedAt: row.last_used_at };
	}

	async touchSession(id: string, lastUsedAt: number): Promise<void> {
		this.db.write((tx) =>
			tx.run('UPDATE sessions SET last_used_at = ? WHERE id_hash = ?', [
				lastUsedAt,
				hashSessionId(id),
			]),
		);
	}

	async deleteSession(id: string): Promise<void> {
		this.db.write((tx) => tx.run('DELETE FROM sessions WHERE id_hash = ?', [hashSessionId(id)]));
	}

	async deleteSessionsUnusedSince(time: number): Promise<number> {
		return this.db.write((tx) => tx.run('DELETE FROM sessions WHERE last_used_at < ?', [time]))
			.changes;
	}

	async createGroup(name: string, owner: string, createdAt: string) {
		if (this.#nameTaken(name)) return undefined;
		const id = this.db.write((tx) => {
			const { id } = tx.get<{ id: number }>(
				'INSERT INTO groups (name, owner, created_at) VALUES (?, ?, ?) RETURNING id',
				[name, owner, createdAt],
			)!;
			tx.run("INSERT INTO members (group_id, user, role) VALUES (?, ?, 'owner')", [id, owner]);
			return id;
		});
		return { id, name, owner, createdAt };
	}

	async findGroup(name: string): Promise<GroupRecord | undefined> {
		const row = this.db.get<GroupRow>('SELECT * FROM groups WHERE name = ?', [name]);
		return row && toGroup(row);
	}

	async groupsOf(user: string): Promise<MembershipSummary[]> {
		const rows = this.db.all<GroupRow & { role: Role; members: number }>(
			`SELECT g.*, m.role,
				(SELECT COUNT(*) FROM members c WHERE c.group_id = g.id) AS members
			FROM members m JOIN groups g ON g.id = m.group_id
			WHERE m.user = ? ORDER BY g.name`,
			[user],
		);
		return rows.map((row) => ({ group: toGroup(row), role: row.role, members: row.members }));
	}

	async membersOf(groupId: number): Promise<MemberRecord[]> {
		return this.db.all<MemberRecord>(
			'SELECT user, role FROM members WHERE group_id = ? ORDER BY user',
			[groupId],
		);
	}

	async roleOf(groupId: number, user: string): Promise<Role | undefined> {
		return this.db.get<{ role: Role }>('SELECT role FROM members WHERE group_id = ? AND user = ?', [
			groupId,
			user,
		])?.role;
	}

	changeGroup<T>(groupId: number, change: (group: GroupChange) => Promise<T>): Promise<T> {
		const previous = this.#groupLocks.get(groupId) ?? Promise.resolve();
		const run = previous.then(
			() => change(this.#groupChange(groupId)),
			() => change(this.#groupChange(groupId)),
		);
		const tail = run.catch(() => undefined);
		this.#groupLocks.set(groupId, tail);
		void tail.then(() => {
			if (this.#groupLocks.get(groupId) === tail) this.#groupLocks.delete(groupId);
		});
		return run;
	}

	/** Each write is one journaled transaction; the domain makes one write per change. */
	#groupChange(groupId: number): GroupChange {
		const row = this.db.get<GroupRow>('SELECT * FROM groups WHERE id = ?', [groupId]);
		return {
			group: row && toGroup(row),
			members: async () => this.membersOf(groupId),
			put: async (members) => this.#putMembers(groupId, members),
			remove: async (users) => this.#removeMembers(groupId, users),
			delete: async () => this.#deleteGroup(groupId),
		};
	}

	#putMembers(groupId: number, members: readonly MemberRecord[]): void {
		if (members.length === 0) return;
		this.#memberNames.delete(groupId);
		this.db.write((tx) => {
			for (const { user, role } of members) {
				tx.run(
					`INSERT INTO members (group_id, user, role) VALUES (?, ?, ?)
					ON CONFLICT (group_id, user) DO UPDATE SET role = excluded.role`,
					[groupId, user, role],
				);
			}
		});
	}

	#removeMembers(groupId: number, users: readonly string[]): void {
		this.#memberNames.delete(groupId);
		this.db.write((tx) => {
			for (const user of users) {
				tx.run('DELETE FROM members WHERE group_id = ? AND user = ?', [groupId, user]);
			}
		});
	}

	#deleteGroup(groupId: number): void {
		const conversation = `g:${groupId}`;
		this.#memberNames.delete(groupId);
		// The index is told of each message as it was, so it can take the words out.
		const gone = this.db
			.all<MessageRow>(
				`SELECT ${messageColumns} FROM messages m WHERE m.conversation = ? AND m.deleted = 0`,
				[conversation],
			)
			.map((row) => indexedMessage(toMessage(row), conversation));
		this.db.write((tx) => {
			this.searchIndex.remember(tx, gone);
			tx.run(
				'DELETE FROM inbox WHERE message_id IN (SELECT id FROM messages WHERE conversation = ?)',
				[conversation],
			);
			forgetReadPositions(tx, conversation);
			tx.run('DELETE FROM messages WHERE conversation = ?', [conversation]);
			tx.run('DELETE FROM members WHERE group_id = ?', [groupId]);
			tx.run('DELETE FROM groups WHERE id = ?', [groupId]);
		});
		this.searchIndex.deleted(gone);
	}

	async changePassword(user: string, passwordHash: string, keepSessionId: string) {
		this.#users.delete(user);
		return this.db.write((tx) => {
			tx.run('UPDATE users SET password_hash = ? WHERE name = ?', [passwordHash, user]);
			return tx
				.all<{ id_hash: string }>(
					'DELETE FROM sessions WHERE user = ? AND id_hash <> ? RETURNING id_hash',
					[user, hashSessionId(keepSessionId)],
				)
				.map((row) => row.id_hash);
		});
	}

	async appendMessage(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
		sendId?: string,
	): Promise<AppendedMessage> {
		return this.#messages.append(message, conversation, groupId, sendId);
	}

	async lastMessageId(): Promise<number> {
		return this.#messages.lastId();
	}

	async findMessage(id: number): Promise<LocatedMessage | undefined> {
		return this.#messages.find(id);
	}

	async editMessage(id: number, body: string, editedAt: string) {
		return this.#messages.edit(id, body, editedAt);
	}

	async deleteMessage(id: number): Promise<MessageRecord | undefined> {
		return this.#messages.delete(id);
	}

	#membersOf(groupId: number): readonly string[] {
		let names = this.#memberNames.get(groupId);
		if (!names) {
			names = this.db
				.all<{ user: string }>('SELECT user FROM members WHERE group_id = ?', [groupId])
				.map((row) => row.user);
			this.#memberNames.set(groupId, names);
		}
		return names;
	}

	async history(
		conversation: string,
		before: number | undefined,
		limit: number,
	): Promise<MessageRecord[]> {
		return this.#messages.history(conversation, before, limit);
	}

	/** Group messages from the user's inbox, direct ones above the user's cursor, merged by id. */
	async pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]> {
		return this.#messages.pending(user, afterId, limit);
	}

	async acknowledge(user: string, uptoId: number): Promise<void> {
		this.#messages.acknowledge(user, uptoId);
	}

	async markRead(user: string, conversation: string, upToId: number): Promise<number> {
		return this.db.write((tx) => markRead(tx, user, conversation, upToId));
	}

	async unread(user: string): Promise<UnreadConversation[]> {
		return unreadConversations(this.db, user);
	}

	async search(user: string, query: SearchQuery): Promise<MessageRecord[]> {
		return searchMessages(this.db, this.searchIndex, user, query);
	}

	async userOverviews(): Promise<UserOverview[]> {
		return userOverviews(this.db);
	}

	async groupOverviews(): Promise<GroupOverview[]> {
		return groupOverviews(this.db);
	}

	async sessionsOf(user: string): Promise<SessionOverview[]> {
		return sessionsOf(this.db, user);
	}

	async setDisabled(user: string, disabled: boolean): Promise<string[] | undefined> {
		this.#users.delete(user);
		return setDisabled(this.db, user, disabled);
	}

	async counts(): Promise<StoreCounts> {
		return { ...counts(this.db), queueDepth: this.#messages.queueDepth() };
	}

	storageSize(): Promise<StorageSize> {
		return storageSize(this.db.dir);
	}

	async queueDepth(): Promise<number> {
		return this.#messages.queueDepth();
	}

	/** The journal has not failed and a file in the data folder can be written and fsynced. */
	probeWritable(): Promise<void> {
		return this.db.probeWritable();
	}

	whenDurable(): Promise<void> {
		return this.db.durable();
	}

	/** Saves the search index (search-index-host.ts), then closes the database. */
	async close(): Promise<void> {
		await this.searchIndex.close();
		return this.db.close();
	}
}
