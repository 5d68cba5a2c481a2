import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
	GroupOverview,
	SessionOverview,
	StorageSize,
	StoreCounts,
	UserOverview,
} from '../domain/store.js';
import type { JournaledDatabase } from './journaled-database.js';
import { exactText } from './sql-message-rows.js';
import { journalPath, listJournalGenerations, SNAPSHOT_FILE } from './storage-layout.js';
import { nodeFileSystem } from './storage-file-system.js';

// The operator's view of the sql.js database (`korichat admin`): reads only, but setDisabled.

type UserOverviewRow = {
	name: string;
	display_name: Uint8Array;
	created_at: string;
	disabled: number;
	sessions: number;
	last_seen: number | null;
};

export function userOverviews(db: JournaledDatabase): UserOverview[] {
	return db
		.all<UserOverviewRow>(
			`SELECT u.name, CAST(u.display_name AS BLOB) AS display_name, u.created_at, u.disabled,
				COUNT(s.id_hash) AS sessions, MAX(s.last_used_at) AS last_seen
			FROM users u LEFT JOIN sessions s ON s.user = u.name
			GROUP BY u.name ORDER BY u.name`,
		)
		.map((row) => ({
			name: row.name,
			displayName: exactText(row.display_name),
			createdAt: row.created_at,
			sessions: row.sessions,
			lastSeen: row.last_seen,
			disabled: row.disabled !== 0,
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

export function groupOverviews(db: JournaledDatabase): GroupOverview[] {
	return db
		.all<GroupOverviewRow>(
			`SELECT g.id, g.name, g.owner, g.created_at,
				(SELECT COUNT(*) FROM members m WHERE m.group_id = g.id) AS members,
				(SELECT COUNT(*) FROM messages m WHERE m.conversation = 'g:' || g.id) AS messages
			FROM groups g ORDER BY g.name`,
		)
		.map((row) => ({
			group: { id: row.id, name: row.name, owner: row.owner, createdAt: row.created_at },
			members: row.members,
			messages: row.messages,
		}));
}

export function sessionsOf(db: JournaledDatabase, user: string): SessionOverview[] {
	return db
		.all<{ id_hash: string; created_at: number; last_used_at: number }>(
			`SELECT id_hash, created_at, last_used_at FROM sessions WHERE user = ?
			ORDER BY last_used_at DESC, id_hash`,
			[user],
		)
		.map((row) => ({
			idHash: row.id_hash,
			createdAt: row.created_at,
			lastUsedAt: row.last_used_at,
		}));
}

/** One journaled write: the flag and the sessions' end go to disk together. */
export function setDisabled(
	db: JournaledDatabase,
	user: string,
	disabled: boolean,
): string[] | undefined {
	if (!db.get('SELECT 1 AS known FROM users WHERE name = ?', [user])) return undefined;
	return db.write((tx) => {
		tx.run('UPDATE users SET disabled = ? WHERE name = ?', [disabled ? 1 : 0, user]);
		if (!disabled) return [];
		return tx
			.all<{ id_hash: string }>('DELETE FROM sessions WHERE user = ? RETURNING id_hash', [user])
			.map((row) => row.id_hash);
	});
}

/** Everything but the queue depth, which the messages' own query counts (sql-messages.ts). */
export function counts(db: JournaledDatabase): Omit<StoreCounts, 'queueDepth'> {
	const count = (table: string) =>
		db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)?.n ?? 0;
	return {
		users: count('users'),
		groups: count('groups'),
		messages: count('messages'),
	};
}

/** The bytes of the data folder's database files: the snapshot and every journal. */
export async function storageSize(dir: string): Promise<StorageSize> {
	const sizeOf = (path: string) =>
		stat(path).then(
			(found) => found.size,
			(error: NodeJS.ErrnoException) => {
				// A snapshot may not exist yet, a journal may have just been dropped by one.
				if (error.code === 'ENOENT') return 0;
				throw error;
			},
		);
	const generations = await listJournalGenerations(nodeFileSystem, dir);
	const journals = await Promise.all(generations.map((g) => sizeOf(journalPath(dir, g))));
	const journalBytes = journals.reduce((sum, size) => sum + size, 0);
	const snapshotBytes = await sizeOf(join(dir, SNAPSHOT_FILE));
	return { databaseBytes: snapshotBytes + journalBytes, journalBytes };
}
