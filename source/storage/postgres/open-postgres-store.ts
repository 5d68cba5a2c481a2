import postgres from 'postgres';
import { silentLogger, type Logger } from '../../domain/logger.js';
import { PostgresChatStore } from './postgres-chat-store.js';
import { isConnectionFailure } from './postgres-errors.js';
import { migratePostgres } from './postgres-migrate.js';
import { fillMissingSearchVectors } from './postgres-search-backfill.js';
import { bigintAsNumber } from './postgres-rows.js';
import { postgresMigrations } from './postgres-schema.js';

export type PostgresStoreOptions = {
	readonly log?: Logger;
	/** Connections in the pool (default 10, at least 3: a changeGroup holds one while the domain reads). */
	readonly max?: number;
	/** Seconds to wait for the database at open and for each new connection (default 10). */
	readonly connectTimeout?: number;
	/** Most messages one append transaction writes (default 500). */
	readonly maxBatch?: number;
	/** Test seam: runs inside each append transaction before its COMMIT, to hold it open. */
	readonly beforeCommit?: () => Promise<void>;
};

/** host:port of a postgres:// URL, for messages (never the password). */
export function postgresAddress(url: string): string {
	try {
		const { hostname, port } = new URL(url);
		return `${hostname || 'localhost'}:${port || '5432'}`;
	} catch {
		return 'the configured address';
	}
}

/**
 * Connects to PostgreSQL, brings its schema up to date (safely when several nodes start at
 * once), indexes for search the messages written before search existed, and returns the chat store. Rejects with one line naming host:port when unreachable.
 */
export async function openPostgresStore(
	url: string,
	options: PostgresStoreOptions = {},
): Promise<PostgresChatStore> {
	const log = options.log ?? silentLogger;
	const connectTimeout = options.connectTimeout ?? 10;
	const address = postgresAddress(url);
	const max = Math.max(3, options.max ?? 10);
	const sql = postgres(url, {
		max,
		connect_timeout: connectTimeout,
		types: { bigint: bigintAsNumber },
		onnotice: () => undefined,
		// A 2xx is sent once its COMMIT is on disk: keep that even if the server's default is off.
		connection: { application_name: 'korichat', synchronous_commit: 'on' },
	}) as unknown as postgres.Sql<Record<string, unknown>>;
	try {
		await withTimeout(sql`SELECT 1`, connectTimeout * 1000, address);
		await migratePostgres(sql, postgresMigrations, log);
		const indexed = await fillMissingSearchVectors(sql);
		if (indexed > 0) {
			log.info(
				{ event: 'search-backfill', store: 'postgres', messages: indexed },
				`postgres: indexed ${indexed} earlier messages for search`,
			);
		}
	} catch (error) {
		await sql.end({ timeout: 0 }).catch(() => undefined);
		throw openError(error, address);
	}
	return new PostgresChatStore(sql, {
		max,
		maxBatch: options.maxBatch ?? 500,
		beforeCommit: options.beforeCommit,
	});
}

// postgres.js retries a connection that closes during its handshake forever: bound the first one.
async function withTimeout<T>(query: Promise<T>, ms: number, address: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() =>
				reject(Object.assign(new Error(`no answer from ${address}`), { code: 'CONNECT_TIMEOUT' })),
			ms,
		);
	});
	try {
		return await Promise.race([query, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function openError(error: unknown, address: string): Error {
	const { code, message } = error as { code?: unknown; message?: unknown };
	const reason = `${typeof code === 'string' ? `${code}: ` : ''}${String(message ?? error)}`;
	if (isConnectionFailure(error)) {
		return new Error(`cannot reach PostgreSQL at ${address} (${reason})`, { cause: error });
	}
	return new Error(`cannot open the PostgreSQL database at ${address}: ${reason}`, {
		cause: error,
	});
}
