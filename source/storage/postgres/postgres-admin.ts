import type { Sql } from 'postgres';
import type {
	GroupOverview,
	SessionOverview,
	StorageSize,
	StoreCounts,
	UserOverview,
} from '../../domain/store.js';
import { transaction } from './transaction.js';

// The operator's view of the PostgreSQL database (`korichat admin`): reads only, but setDisabled.

type Db = Sql<Record<string, unknown>>;

type UserOverviewRow = {
	name: string;
	display_name: string;
	created_at: string;
	disabled: boolean;
	sessions: number;
	last_seen: number | null;
};

export async function userOverviews(sql: Db): Promise<UserOverview[]> {
	const rows = await sql<UserOverviewRow[]>`
		SELECT u.name, u.display_name, u.created_at, u.disabled,
			COUNT(s.id_hash)::int AS sessions, MAX(s.last_used_at) AS last_seen
		FROM users u LEFT JOIN sessions s ON s.user_name = u.name
		GROUP BY u.name ORDER BY u.name`;
	return rows.map((row) => ({
		name: row.name,
		displayName: row.display_name,
		createdAt: row.created_at,
		sessions: row.sessions,
		lastSeen: row.last_seen,
		disabled: row.disabled,
	}));
}

type GroupOverviewRow = {
	id: number;
	name: string;
	owner: string;
	created_at: string;
	members: number;
	messages: number;
};

export async function groupOverviews(sql: Db): Promise<GroupOverview[]> {
	const rows = await sql<GroupOverviewRow[]>`
		SELECT g.id, g.name, g.owner, g.created_at,
			(SELECT COUNT(*) FROM members m WHERE m.group_id = g.id)::int AS members,
			(SELECT COUNT(*) FROM messages m WHERE m.conversation = 'g:' || g.id)::int AS messages
		FROM groups g ORDER BY g.name`;
	return rows.map((row) => ({
		group: { id: row.id, name: row.name, owner: row.owner, createdAt: row.created_at },
		members: row.members,
		messages: row.messages,
	}));
}

export async function sessionsOf(sql: Db, user: string): Promise<SessionOverview[]> {
	const rows = await sql<{ id_hash: string; created_at: number; last_used_at: number }[]>`
		SELECT id_hash, created_at, last_used_at FROM sessions WHERE user_name = ${user}
		ORDER BY last_used_at DESC, id_hash`;
	return rows.map((row) => ({
		idHash: row.id_hash,
		createdAt: row.created_at,
		lastUsedAt: row.last_used_at,
	}));
}

/**
 * One transaction. The UPDATE locks the user's row, which createSession reads FOR SHARE: a login
 * racing it either commits its session before (and this DELETE, a later statement, sees it) or
 * waits and then finds the account disabled.
 */
export function setDisabled(
	sql: Db,
	user: string,
	disabled: boolean,
): Promise<string[] | undefined> {
	return transaction(sql, async (tx) => {
		const updated = await tx`UPDATE users SET disabled = ${disabled} WHERE name = ${user}`;
		if (updated.count === 0) return undefined;
		if (!disabled) return [];
		const ended = await tx<{ id_hash: string }[]>`
			DELETE FROM sessions WHERE user_name = ${user} RETURNING id_hash`;
		return ended.map((row) => row.id_hash);
	});
}

// Pending direct messages are counted per user over the partial indexes by recipient and by
// sender (only those above the user's cursor are read), as pending() finds them.
/** Everything but the queue depth, which PostgresChatStore.queueDepth counts. */
export async function counts(sql: Db): Promise<Omit<StoreCounts, 'queueDepth'>> {
	const [row] = await sql<Omit<StoreCounts, 'queueDepth'>[]>`
		SELECT
			(SELECT COUNT(*) FROM users)::int AS users,
			(SELECT COUNT(*) FROM groups)::int AS groups,
			(SELECT COUNT(*) FROM messages)::bigint AS messages`;
	return row!;
}

export async function storageSize(sql: Db): Promise<StorageSize> {
	const [row] = await sql<{ bytes: number }[]>`
		SELECT pg_database_size(current_database())::bigint AS bytes`;
	return { databaseBytes: row!.bytes, journalBytes: null };
}
