import { hashSessionId } from '../domain/secrets.js';
import { sendIdLifetimeMs } from '../domain/send-ids.js';
import type { AppendedMessage, ChatStore, GroupChange } from '../domain/store.js';
import type {
	GroupRecord,
	MemberRecord,
	MembershipSummary,
	MessageRecord,
	NewMessage,
	Role,
	SessionRecord,
	UserRecord,
} from '../domain/types.js';
import type { JournaledDatabase, SqlWriter } from './journaled-database.js';

type UserRow = {
	name: string;
	display_name: Uint8Array;
	password_hash: string;
	created_at: string;
};
type SessionRow = { user: string; created_at: number; last_used_at: number };
type GroupRow = { id: number; name: string; owner: string; created_at: string };
type MessageRow = {
	id: number;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: Uint8Array;
	date: string;
};

// sql.js decodes TEXT with a TextDecoder that drops a leading U+FEFF, so free text is read as its
// UTF-8 bytes and decoded here: what a user wrote comes back byte for byte.
const exactText = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const messageColumns =
	'm.id, m.sender, m.recipient, m.group_name, CAST(m.body AS BLOB) AS body, m.date';
// ?1 user, ?2 after this id, ?3 at most this many.
const pendingQuery = `
	SELECT * FROM (
		SELECT ${messageColumns} FROM inbox i JOIN messages m ON m.id = i.message_id
		WHERE i.user = ?1 AND i.message_id > ?2 ORDER BY i.message_id LIMIT ?3)
	UNION ALL
	SELECT * FROM (
		SELECT ${messageColumns} FROM messages m
		WHERE m.recipient = ?1 AND m.group_name IS NULL AND m.id > max(?2,
			COALESCE((SELECT acknowledged FROM direct_cursors WHERE user = ?1), 0))
		ORDER BY m.id LIMIT ?3)
	ORDER BY id LIMIT ?3`;
const userColumns = 'name, CAST(display_name AS BLOB) AS display_name, password_hash, created_at';

const toUser = (row: UserRow): UserRecord => ({
	name: row.name,
	displayName: exactText(row.display_name),
	passwordHash: row.password_hash,
	createdAt: row.created_at,
});

const toGroup = (row: GroupRow): GroupRecord => ({
	id: row.id,
	name: row.name,
	owner: row.owner,
	createdAt: row.created_at,
});

const toMessage = (row: MessageRow): MessageRecord => ({
	id: row.id,
	from: row.sender,
	to: row.recipient,
	group: row.group_name,
	body: exactText(row.body),
	date: row.date,
});

const maxCachedUsers = 10_000;
// Expired Send-Ids are swept every this many appends that carry one.
const sendIdSweepEvery = 1000;

/** The chat's repositories over the journaled sql.js database. */
export class SqlChatStore implements ChatStore {
	/**
	 * Users found so far: every SEND looks its target up, and a user row never changes once
	 * written (nothing updates or deletes users; whatever starts to must clear this).
	 */
	readonly #users = new Map<string, UserRecord>();
	/** Member names by group id, for queueing its messages; every membership change clears it. */
	readonly #memberNames = new Map<number, readonly string[]>();
	/** The tail of each group's changes: one change to a group runs at a time. */
	readonly #groupLocks = new Map<number, Promise<unknown>>();
	#sendIdsSinceSweep = 0;

	constructor(readonly db: JournaledDatabase) {}

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

	async createSession(session: SessionRecord): Promise<void> {
		this.db.write((tx) =>
			tx.run('INSERT INTO sessions (id_hash, user, created_at, last_used_at) VALUES (?, ?, ?, ?)', [
				hashSessionId(session.id),
				session.user,
				session.createdAt,
				session.lastUsedAt,
			]),
		);
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
		this.db.write((tx) => {
			tx.run(
				'DELETE FROM inbox WHERE message_id IN (SELECT id FROM messages WHERE conversation = ?)',
				[conversation],
			);
			tx.run('DELETE FROM messages WHERE conversation = ?', [conversation]);
			tx.run('DELETE FROM members WHERE group_id = ?', [groupId]);
			tx.run('DELETE FROM groups WHERE id = ?', [groupId]);
		});
	}

	async appendMessage(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
		sendId?: string,
	): Promise<AppendedMessage> {
		const recipients =
			groupId === null
				? [message.to]
				: this.#membersOf(groupId).filter((user) => user !== message.from);
		if (sendId !== undefined) {
			const earlier = this.#earlierSend(message, sendId);
			if (earlier) return { message: earlier, recipients, repeated: true };
		}
		const id = this.db.write((tx) => {
			// RETURNING saves the separate last_insert_rowid() query.
			const { id } = tx.get<{ id: number }>(
				`INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
				[conversation, message.from, message.to, message.group, message.body, message.date],
			)!;
			// A direct message needs no inbox row: see pending().
			if (groupId !== null) {
				// One statement queues it for every member: SQLite inserts the rows, not a JS loop,
				// and the journal holds one entry that replays against the same memberships.
				tx.run(
					`INSERT INTO inbox (user, message_id)
					SELECT user, ? FROM members WHERE group_id = ? AND user <> ?`,
					[id, groupId, message.from],
				);
			}
			if (sendId !== undefined) this.#rememberSend(tx, message, sendId, id);
			return id;
		});
		return { message: { id, ...message }, recipients, repeated: false };
	}

	/** The message sent earlier with this Send-Id, within its lifetime. */
	#earlierSend(message: NewMessage, sendId: string): MessageRecord | undefined {
		const since = Date.parse(message.date) - sendIdLifetimeMs;
		const row = this.db.get<{ message_id: number }>(
			'SELECT message_id FROM send_ids WHERE user = ? AND send_id = ? AND created_at > ?',
			[message.from, sendId, since],
		);
		if (!row) return undefined;
		const stored = this.db.get<MessageRow>(
			`SELECT ${messageColumns} FROM messages m WHERE m.id = ?`,
			[row.message_id],
		);
		// Its group may have been deleted since: the answer is still the same id.
		return stored ? toMessage(stored) : { id: row.message_id, ...message };
	}

	#rememberSend(tx: SqlWriter, message: NewMessage, sendId: string, id: number): void {
		const at = Date.parse(message.date);
		tx.run(
			`INSERT INTO send_ids (user, send_id, message_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user, send_id) DO UPDATE SET message_id = excluded.message_id,
				created_at = excluded.created_at`,
			[message.from, sendId, id, at],
		);
		if (++this.#sendIdsSinceSweep >= sendIdSweepEvery) {
			this.#sendIdsSinceSweep = 0;
			tx.run('DELETE FROM send_ids WHERE created_at <= ?', [at - sendIdLifetimeMs]);
		}
	}

	async lastMessageId(): Promise<number> {
		// AUTOINCREMENT's counter, not MAX(id): deleting a group's newest messages never lowers it.
		return (
			this.db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")
				?.seq ?? 0
		);
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
		const rows = this.db.all<MessageRow>(
			`SELECT ${messageColumns} FROM messages m
			WHERE m.conversation = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
			[conversation, before ?? Number.MAX_SAFE_INTEGER, limit],
		);
		return rows.reverse().map(toMessage);
	}

	/** Group messages from the user's inbox, direct ones above the user's cursor, merged by id. */
	async pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]> {
		return this.db.all<MessageRow>(pendingQuery, [user, afterId, limit]).map(toMessage);
	}

	async acknowledge(user: string, uptoId: number): Promise<void> {
		this.db.write((tx) => {
			tx.run('DELETE FROM inbox WHERE user = ? AND message_id <= ?', [user, uptoId]);
			tx.run(
				`INSERT INTO direct_cursors (user, acknowledged) VALUES (?, ?)
				ON CONFLICT (user) DO UPDATE SET acknowledged = excluded.acknowledged
				WHERE excluded.acknowledged > acknowledged`,
				[user, uptoId],
			);
		});
	}

	whenDurable(): Promise<void> {
		return this.db.durable();
	}

	close(): Promise<void> {
		return this.db.close();
	}
}
