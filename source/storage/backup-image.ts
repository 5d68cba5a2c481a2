import { chatMigrations } from './schema.js';
import { openSnapshotImage } from './snapshot-file.js';
import type { SqlConnection } from './sql-connection.js';
import { reasonOf } from '../domain/error-reason.js';

/** A backup or restore that cannot be done as asked; the message is the one line a person sees. */
export class BackupError extends Error {
	override readonly name = 'BackupError';
}

/** What a backup file holds, checked: an intact KoriChat database of a schema this program knows. */
export type BackupContents = {
	readonly connection: SqlConnection;
	/** The journal generation the backup's snapshot says follows it. */
	readonly generation: number;
	readonly schemaVersion: number;
	readonly users: number;
	readonly messages: number;
	readonly lastMessageId: number | null;
};

const latestSchemaVersion = Math.max(...chatMigrations.map((migration) => migration.version));
const requiredTables = ['users', 'groups', 'messages'];

/**
 * Opens a backup's bytes with sql.js and checks them: an SQLite database that passes
 * integrity_check, with KoriChat's tables and a schema version no newer than this program's (an
 * older one is migrated when a server starts on it). The caller closes the connection.
 */
export async function openBackupImage(image: Uint8Array, file: string): Promise<BackupContents> {
	const notABackup = (reason: string) =>
		new BackupError(`${file} is not a KoriChat backup (${reason})`);
	let opened: { connection: SqlConnection; generation: number };
	try {
		opened = await openSnapshotImage(image);
	} catch (error) {
		throw notABackup(firstLineOf(error));
	}
	const { connection } = opened;
	try {
		const integrity = integrityProblems(connection);
		if (integrity) throw notABackup(`damaged: ${integrity}`);
		const version = connection.get<{ user_version: number }>('PRAGMA user_version')?.user_version;
		const tables = new Set(
			connection
				.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
				.map((row) => row.name),
		);
		const missing = requiredTables.filter((table) => !tables.has(table));
		if (!version || missing.length > 0) {
			throw notABackup(missing.length > 0 ? `no ${missing.join(', ')} table` : 'no schema version');
		}
		if (version > latestSchemaVersion) {
			throw new BackupError(
				`${file} has schema version ${version} but this KoriChat knows only up to ` +
					`${latestSchemaVersion}: restore it with the newer KoriChat that wrote it`,
			);
		}
		const count = (sql: string) => connection.get<{ n: number }>(sql)?.n ?? 0;
		return {
			connection,
			generation: opened.generation,
			schemaVersion: version,
			users: count('SELECT COUNT(*) AS n FROM users'),
			messages: count('SELECT COUNT(*) AS n FROM messages'),
			lastMessageId:
				connection.get<{ id: number | null }>('SELECT MAX(id) AS id FROM messages')?.id ?? null,
		};
	} catch (error) {
		connection.close();
		if (error instanceof BackupError) throw error;
		throw notABackup(firstLineOf(error));
	}
}

/** The first problem PRAGMA integrity_check reports, or undefined when it says ok. */
function integrityProblems(connection: SqlConnection): string | undefined {
	const rows = connection.all<{ integrity_check: string }>('PRAGMA integrity_check(5)');
	const problems = rows.map((row) => row.integrity_check).filter((text) => text !== 'ok');
	return problems.length > 0 ? problems.join('; ').slice(0, 200) : undefined;
}

/** The first line of a failure's reason: SQLite's messages can run on. */
function firstLineOf(error: unknown): string {
	return reasonOf(error).split('\n')[0]!;
}
