import type { Sql } from 'postgres';
import type { Logger } from '../../domain/logger.js';
import { pendingMigrations } from '../migrations.js';
import type { Migration } from '../sql-types.js';
import { transaction } from './transaction.js';

// Advisory locks are per database, so nodes on other databases of the server do not wait for it.
const migrationLockKey = 0x6b6f7269; // "kori"

/**
 * Applies the migrations this database lacks, all in one transaction under an advisory lock:
 * nodes starting at once wait for the first, then find nothing left to do.
 */
export async function migratePostgres(
	sql: Sql<Record<string, unknown>>,
	migrations: readonly Migration[],
	log: Logger,
): Promise<number> {
	return transaction(sql, async (tx) => {
		await tx`SELECT pg_advisory_xact_lock(${migrationLockKey})`;
		// Quiet: NOTICE "relation already exists" on every start but the first.
		await tx`SET LOCAL client_min_messages = warning`;
		await tx`
			CREATE TABLE IF NOT EXISTS schema_migrations (
				version INTEGER PRIMARY KEY,
				applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
			)`;
		const [row] = await tx<{ version: number | null }[]>`
			SELECT MAX(version) AS version FROM schema_migrations`;
		const current = row?.version ?? 0;
		let version = current;
		for (const migration of pendingMigrations(migrations, current)) {
			await tx.unsafe(migration.up).simple();
			await tx`INSERT INTO schema_migrations (version) VALUES (${migration.version})`;
			log.info(
				{ event: 'migration', store: 'postgres', version: migration.version },
				`postgres: applied schema version ${migration.version}`,
			);
			version = migration.version;
		}
		return version;
	});
}
