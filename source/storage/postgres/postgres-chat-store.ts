import type { Sql } from 'postgres';
import { hashSessionId } from '../../domain/secrets.js';
import { StorageClosedError } from '../../domain/storage-errors.js';
import type {
	AppendedMessage,
	ChatStore,
	GroupChange,
	GroupOverview,
	SessionOverview,
	StorageSize,
	StoreCounts,
	UserOverview,
} from '../../domain/store.js';
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
} from '../../domain/types.js';
import { MessageAppender } from './message-appender.js';
import {
	counts,
	groupOverviews,
	sessionsOf,
	setDisabled,
	storageSize,
	userOverviews,
} from './postgres-admin.js';
import { toStorageError } from './postgres-errors.js';
import { lockGroup } from './postgres-group-change.js';
import { deleteMessage, editMessage, findMessage } from './postgres-message-changes.js';
import { markRead, unreadConversations } from './postgres-read-positions.js';
import { searchMessages } from './postgres-search.js';
import { Slots } from './slots.js';
import { transaction } from './transaction.js';
import {
	groupColumns,
	messageColumns,
	toGroup,
	toMessage,
	toUser,
	userColumns,
	type GroupRow,
	type MessageRow,
	type UserRow,
} from './postgres-rows.js';

type Db = Sql<Record<string, unknown>>;
type SessionRow = { user_name: string; created_at: number; last_used_at: number };

export type PostgresStoreSettings = {
	/** Connections in the pool. */
	readonly max: number;
	readonly maxBatch: number;
	readonly beforeCommit?: (() => Promise<void>) | undefined;
};

/** The chat's repositories over PostgreSQL, shared by every node of a cluster. */
export class PostgresChatStore implements ChatStore {
	readonly #appender: MessageAppender;
	/**
	 * A change holds a connection while the domain reads through the pool (findUser): keep two
	 * connections (the appender's and one for reads) out of reach of changes, or a burst of
	 * changes would wait forever on each other.
	 */
	readonly #changeSlots: Slots;
	/** Calls under way, which close() lets finish. */
	readonly #inFlight = new Set<Promise<unknown>>();
	#closing: Promise<void> | undefined;

	constructor(
		readonly sql: Db,
		settings: PostgresStoreSettings,
	) {
		this.#appender = new MessageAppender(sql, { ...settings, toError: toStorageError });
		this.#changeSlots = new Slots(settings.max - 2);
	}

	/** Runs a database call: StorageClosedError after close(), connection failures mapped. */
	async #run<T>(call: () => Promise<T>): Promise<T> {
		if (this.#closing) throw new StorageClosedError();
		const running = call();
		this.#inFlight.add(running);
		try {
			return await running;
		} catch (error) {
			throw toStorageError(error);
		} finally {
			this.#inFlight.delete(running);
		}
	}

	isNameTaken(name: string): Promise<boolean> {
		return this.#run(async () => {
			const rows = await this.sql`SELECT 1 FROM names WHERE name = ${name}`;
			return rows.length > 0;
		});
	}

	createUser(user: UserRecord): Promise<boolean> {
		// One statement: the names row is the claim, and a concurrent claim of the name waits for it.
		return this.#run(async () => {
			const rows = await this.sql`
				WITH claimed AS (
					INSERT INTO names (name, kind) VALUES (${user.name}, 'user')
					ON CONFLICT DO NOTHING RETURNING name)
				INSERT INTO users (name, display_name, password_hash, created_at)
				SELECT name, ${user.displayName}, ${user.passwordHash}, ${user.createdAt} FROM claimed
				RETURNING name`;
			return rows.length > 0;
		});
	}

	/** Read each time, never cached: a password changed on another node must stop working here at once. */
	findUser(name: string): Promise<UserRecord | undefined> {
		return this.#run(async () => {
			const [row] = await this.sql<UserRow[]>`
				SELECT ${this.sql.unsafe(userColumns)} FROM users WHERE name = ${name}`;
			return row && toUser(row);
		});
	}

	listUsers(): Promise<UserRecord[]> {
		return this.#run(async () => {
			const rows = await this.sql<UserRow[]>`
				SELECT ${this.sql.unsafe(userColumns)} FROM users ORDER BY name`;
			return rows.map(toUser);
		});
	}

	/** The user's row is read FOR SHARE: see setDisabled in postgres-admin.ts. */
	createSession(session: SessionRecord): Promise<boolean> {
		return this.#run(async () => {
			const rows = await this.sql`
				WITH allowed AS (
					SELECT name FROM users WHERE name = ${session.user} AND NOT disabled FOR SHARE)
				INSERT INTO sessions (id_hash, user_name, created_at, last_used_at)
				SELECT ${hashSessionId(session.id)}, name, ${session.createdAt}, ${session.lastUsedAt}
				FROM allowed
				RETURNING id_hash`;
			return rows.length > 0;
		});
	}

	findSession(id: string): Promise<SessionRecord | undefined> {
		return this.#run(async () => {
			const [row] = await this.sql<SessionRow[]>`
				SELECT user_name, created_at, last_used_at FROM sessions
				WHERE id_hash = ${hashSessionId(id)}`;
			return (
				row && { id, user: row.user_name, createdAt: row.created_at, lastUsedAt: row.last_used_at }
			);
		});
	}

	touchSession(id: string, lastUsedAt: number): Promise<void> {
		return this.#run(async () => {
			await this.sql`
				UPDATE sessions SET last_used_at = ${lastUsedAt} WHERE id_hash = ${hashSessionId(id)}`;
		});
	}

	deleteSession(id: string): Promise<void> {
		return this.#run(async () => {
			await this.sql`DELETE FROM sessions WHERE id_hash = ${hashSessionId(id)}`;
		});
	}

	deleteSessionsUnusedSince(time: number): Promise<number> {
		return this.#run(async () => {
			const result = await this.sql`DELETE FROM sessions WHERE last_used_at < ${time}`;
			return result.count;
		});
	}

	createGroup(name: string, owner: string, createdAt: string): Promise<GroupRecord | undefined> {
		return this.#run(async () => {
			const [row] = await this.sql<{ id: number }[]>`
				WITH claimed AS (
					INSERT INTO names (name, kind) VALUES (${name}, 'group')
					ON CONFLICT DO NOTHING RETURNING name),
				made AS (
					INSERT INTO groups (name, owner, created_at)
					SELECT name, ${owner}, ${createdAt} FROM claimed RETURNING id),
				owned AS (
					INSERT INTO members (group_id, user_name, role)
					SELECT id, ${owner}, 'owner' FROM made)
				SELECT id FROM made`;
			return row && { id: row.id, name, owner, createdAt };
		});
	}

	findGroup(name: string): Promise<GroupRecord | undefined> {
		return this.#run(async () => {
			const [row] = await this.sql<GroupRow[]>`
				SELECT ${this.sql.unsafe(groupColumns)} FROM groups WHERE name = ${name}`;
			return row && toGroup(row);
		});
	}

	groupsOf(user: string): Promise<MembershipSummary[]> {
		return this.#run(async () => {
			const rows = await this.sql<(GroupRow & { role: Role; members: number })[]>`
				SELECT g.id, g.name, g.owner, g.created_at, m.role,
					(SELECT COUNT(*) FROM members c WHERE c.group_id = g.id) AS members
				FROM members m JOIN groups g ON g.id = m.group_id
				WHERE m.user_name = ${user} ORDER BY g.name`;
			return rows.map((row) => ({ group: toGroup(row), role: row.role, members: row.members }));
		});
	}

	membersOf(groupId: number): Promise<MemberRecord[]> {
		return this.#run(async () => [
			...(await this.sql<MemberRecord[]>`
				SELECT user_name AS "user", role FROM members
				WHERE group_id = ${groupId} ORDER BY user_name`),
		]);
	}

	roleOf(groupId: number, user: string): Promise<Role | undefined> {
		return this.#run(async () => {
			const [row] = await this.sql<{ role: Role }[]>`
				SELECT role FROM members WHERE group_id = ${groupId} AND user_name = ${user}`;
			return row?.role;
		});
	}

	/** One transaction with the group row locked; a throw from `change` rolls it all back. */
	changeGroup<T>(groupId: number, change: (group: GroupChange) => Promise<T>): Promise<T> {
		return this.#run(async () => {
			const result = await this.#changeSlots.run(() =>
				transaction(this.sql, async (tx) => change(await lockGroup(tx, groupId))),
			);
			return result as T;
		});
	}

	/** One transaction: the new hash and the other sessions' end commit together. */
	changePassword(user: string, passwordHash: string, keepSessionId: string): Promise<string[]> {
		return this.#run(() =>
			transaction(this.sql, async (tx) => {
				await tx`UPDATE users SET password_hash = ${passwordHash} WHERE name = ${user}`;
				const ended = await tx<{ id_hash: string }[]>`
					DELETE FROM sessions
					WHERE user_name = ${user} AND id_hash <> ${hashSessionId(keepSessionId)}
					RETURNING id_hash`;
				return ended.map((row) => row.id_hash);
			}),
		);
	}

	appendMessage(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
		sendId?: string,
	): Promise<AppendedMessage> {
		if (this.#closing) return Promise.reject(new StorageClosedError());
		return this.#appender.append({ message, conversation, groupId, sendId });
	}

	/** The counter commits with the messages it numbers, so every id up to it is visible. */
	lastMessageId(): Promise<number> {
		return this.#run(async () => {
			const [row] = await this.sql<{ last: number }[]>`SELECT last FROM message_counter`;
			return row?.last ?? 0;
		});
	}

	findMessage(id: number): Promise<LocatedMessage | undefined> {
		return this.#run(() => findMessage(this.sql, id));
	}

	editMessage(id: number, body: string, editedAt: string): Promise<MessageRecord | undefined> {
		return this.#run(() => editMessage(this.sql, id, body, editedAt));
	}

	deleteMessage(id: number): Promise<MessageRecord | undefined> {
		return this.#run(() => deleteMessage(this.sql, id));
	}

	history(
		conversation: string,
		before: number | undefined,
		limit: number,
	): Promise<MessageRecord[]> {
		return this.#run(async () => {
			const rows = await this.sql<MessageRow[]>`
				SELECT ${this.sql.unsafe(messageColumns)} FROM messages m
				WHERE m.conversation = ${conversation} AND m.id < ${before ?? Number.MAX_SAFE_INTEGER}
				ORDER BY m.id DESC LIMIT ${limit}`;
			return rows.reverse().map(toMessage);
		});
	}

	/**
	 * Group messages from the user's inbox, and direct ones to or from the user (a message to
	 * oneself once) above the user's cursor, merged by id; never a tombstone.
	 */
	pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]> {
		// One statement, so one snapshot: ids commit in order, so it holds no gap.
		return this.#run(async () => {
			const columns = this.sql.unsafe(messageColumns);
			const cursor = this.sql`GREATEST(${afterId},
				COALESCE((SELECT acknowledged FROM direct_cursors WHERE user_name = ${user}), 0))`;
			const rows = await this.sql<MessageRow[]>`
				SELECT * FROM (
					(SELECT ${columns}
					FROM inbox i JOIN messages m ON m.id = i.message_id
					WHERE i.user_name = ${user} AND i.message_id > ${afterId} AND NOT m.deleted
					ORDER BY i.message_id LIMIT ${limit})
					UNION ALL
					(SELECT ${columns} FROM messages m
					WHERE m.recipient = ${user} AND m.group_name IS NULL AND m.id > ${cursor}
						AND NOT m.deleted
					ORDER BY m.id LIMIT ${limit})
					UNION ALL
					(SELECT ${columns} FROM messages m
					WHERE m.sender = ${user} AND m.group_name IS NULL AND m.id > ${cursor}
						AND m.recipient <> ${user} AND NOT m.deleted
					ORDER BY m.id LIMIT ${limit})
				) AS queued ORDER BY id LIMIT ${limit}`;
			return rows.map(toMessage);
		});
	}

	acknowledge(user: string, uptoId: number): Promise<void> {
		return this.#run(async () => {
			await this.sql`
				WITH dropped AS (
					DELETE FROM inbox WHERE user_name = ${user} AND message_id <= ${uptoId})
				INSERT INTO direct_cursors (user_name, acknowledged) VALUES (${user}, ${uptoId})
				ON CONFLICT (user_name) DO UPDATE SET acknowledged = excluded.acknowledged
				WHERE excluded.acknowledged > direct_cursors.acknowledged`;
		});
	}

	markRead(user: string, conversation: string, upToId: number): Promise<number> {
		return this.#run(() => markRead(this.sql, user, conversation, upToId));
	}

	unread(user: string): Promise<UnreadConversation[]> {
		return this.#run(() => unreadConversations(this.sql, user));
	}

	search(user: string, query: SearchQuery): Promise<MessageRecord[]> {
		return this.#run(() => searchMessages(this.sql, user, query));
	}

	userOverviews(): Promise<UserOverview[]> {
		return this.#run(() => userOverviews(this.sql));
	}

	groupOverviews(): Promise<GroupOverview[]> {
		return this.#run(() => groupOverviews(this.sql));
	}

	sessionsOf(user: string): Promise<SessionOverview[]> {
		return this.#run(() => sessionsOf(this.sql, user));
	}

	setDisabled(user: string, disabled: boolean): Promise<string[] | undefined> {
		return this.#run(() => setDisabled(this.sql, user, disabled));
	}

	async counts(): Promise<StoreCounts> {
		const [rest, queueDepth] = await Promise.all([
			this.#run(() => counts(this.sql)),
			this.queueDepth(),
		]);
		return { ...rest, queueDepth };
	}

	storageSize(): Promise<StorageSize> {
		return this.#run(() => storageSize(this.sql));
	}

	/** As the sql.js store counts it (sql-messages.ts): inbox rows and direct messages above cursors. */
	queueDepth(): Promise<number> {
		return this.#run(async () => {
			const [row] = await this.sql<{ depth: number }[]>`
				SELECT (SELECT count(*) FROM inbox)
					+ (SELECT count(*) FROM users u JOIN messages m ON m.recipient = u.name
						AND m.group_name IS NULL AND NOT m.deleted AND m.id > COALESCE(
							(SELECT acknowledged FROM direct_cursors c WHERE c.user_name = u.name), 0))
					+ (SELECT count(*) FROM users u JOIN messages m ON m.sender = u.name
						AND m.recipient <> u.name AND m.group_name IS NULL AND NOT m.deleted
						AND m.id > COALESCE(
							(SELECT acknowledged FROM direct_cursors c WHERE c.user_name = u.name), 0))
					AS depth`;
			return Number(row?.depth ?? 0);
		});
	}

	/**
	 * A real write, committed: an UPDATE of health_probe's one row. It fails on a read-only
	 * database (a standby, default_transaction_read_only) and hangs when commits do.
	 */
	probeWritable(): Promise<void> {
		return this.#run(async () => {
			await this.sql`UPDATE health_probe SET probed_at = ${Date.now()} WHERE id = 1`;
		});
	}

	/** A write resolves only once PostgreSQL acknowledged its COMMIT (synchronous_commit on). */
	whenDurable(): Promise<void> {
		return this.#closing ? Promise.reject(new StorageClosedError()) : Promise.resolve();
	}

	close(): Promise<void> {
		this.#closing ??= (async () => {
			await this.#appender.idle();
			await Promise.allSettled(this.#inFlight);
			// Nothing of ours is left running. (A graceful end() can wait forever on a connection
			// that closed under a query: postgres.js 3.4 keeps that query as current.)
			await this.sql.end({ timeout: 0 });
		})();
		return this.#closing;
	}
}
