import initSqlJs from 'sql.js';
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { searchDocumentSql } from './search-document.js';
import { NO_PARAMS, type RunResult, type SqlParams, type SqlValue } from './sql-types.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** sql.js compiles its wasm once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
	sqlJs ??= initSqlJs().catch((error: unknown) => {
		sqlJs = undefined;
		throw error;
	});
	return sqlJs;
}

// Durability comes from the journal, so SQLite's own file needs no syncing; exclusive locking keeps
// its page cache valid between transactions (about 4x faster writes in sql.js).
const PRAGMAS = [
	'PRAGMA foreign_keys = ON',
	'PRAGMA journal_mode = MEMORY',
	'PRAGMA synchronous = OFF',
	'PRAGMA locking_mode = EXCLUSIVE',
	'PRAGMA temp_store = MEMORY',
].join('; ');

const STATEMENT_CACHE_LIMIT = 512;
const RESERVE_TABLE = 'CREATE TABLE IF NOT EXISTS journaled_database_reserve (data BLOB)';
const RESERVE_ROW = 'INSERT INTO journaled_database_reserve (data) VALUES (zeroblob(?))';
const MAX_RESERVE_STEP = 256 * 1024 * 1024;

/** One sql.js database with its prepared statements cached by SQL text. */
export class SqlConnection {
	private readonly statements = new Map<string, Statement>();

	private constructor(private readonly db: Database) {
		db.exec(PRAGMAS);
		// Every connection, the snapshot worker's too, must run the journal's statements alike.
		db.create_function(searchDocumentSql.name, searchDocumentSql.fn);
	}

	static async create(image?: Uint8Array): Promise<SqlConnection> {
		const sql = await loadSqlJs();
		return new SqlConnection(new sql.Database(image ?? null));
	}

	get<T extends object>(sql: string, params: SqlParams = NO_PARAMS): T | undefined {
		const statement = this.prepare(sql, params);
		try {
			return statement.step() ? (statement.getAsObject() as T) : undefined;
		} finally {
			statement.reset();
		}
	}

	all<T extends object>(sql: string, params: SqlParams = NO_PARAMS): T[] {
		const statement = this.prepare(sql, params);
		try {
			const rows: T[] = [];
			while (statement.step()) rows.push(statement.getAsObject() as T);
			return rows;
		} finally {
			statement.reset();
		}
	}

	/**
	 * Runs one statement; an INSERT that needs its row's id says `RETURNING id` and uses get() —
	 * not on a hot path: RETURNING opens a savepoint, where FTS4 flushes its pending index terms.
	 */
	run(sql: string, params: SqlParams = NO_PARAMS): RunResult {
		this.execute(sql, params);
		return { changes: this.db.getRowsModified() };
	}

	/** The database file's size and the part of it that is free pages, in bytes. */
	fileSpace(): { total: number; free: number } {
		const pageSize = Number(this.scalar('PRAGMA page_size'));
		return {
			total: Number(this.scalar('PRAGMA page_count')) * pageSize,
			free: Number(this.scalar('PRAGMA freelist_count')) * pageSize,
		};
	}

	/**
	 * Grows the file by about `bytes` of free pages, in one step. Freed pages stay in the file (no
	 * auto_vacuum) and are used before it grows again. Not journaled: it changes no rows.
	 */
	reserveFreePages(bytes: number): void {
		this.begin();
		try {
			this.execute(RESERVE_TABLE);
			for (let left = bytes; left > 0; left -= MAX_RESERVE_STEP) {
				this.execute(RESERVE_ROW, [Math.min(left, MAX_RESERVE_STEP)]);
			}
			this.execute('DELETE FROM journaled_database_reserve');
			this.commit();
		} catch (error) {
			this.rollback();
			throw error;
		}
	}

	/** Runs SQL that may hold several statements. */
	exec(script: string): void {
		this.db.exec(script);
	}

	begin(): void {
		this.execute('BEGIN');
	}

	commit(): void {
		this.execute('COMMIT');
	}

	/** Rolls back if a transaction is still open (a failed COMMIT can leave one). */
	rollback(): void {
		try {
			this.execute('ROLLBACK');
		} catch {
			// No transaction was active: SQLite already rolled it back.
		}
	}

	/** A change that is deliberately not journaled: storage bookkeeping, or replaying the journal. */
	runUnjournaled(sql: string, params: SqlParams): void {
		this.execute(sql, params);
	}

	/** The whole database file. Never call inside a transaction. */
	export(): Uint8Array {
		const image = this.db.export();
		this.restoreAfterExport();
		return image;
	}

	close(): void {
		this.statements.clear();
		this.db.close();
	}

	private restoreAfterExport(): void {
		// sql.js 1.16 keeps statements and pragmas across export(); older versions reopened the
		// connection, freeing both. A reset foreign_keys pragma tells which happened.
		const [result] = this.db.exec('PRAGMA foreign_keys');
		if (result?.values[0]?.[0] === 1) return;
		this.statements.clear();
		this.db.exec(PRAGMAS);
	}

	private execute(sql: string, params: SqlParams = NO_PARAMS): void {
		const statement = this.prepare(sql, params);
		try {
			statement.step();
		} finally {
			statement.reset();
		}
	}

	private scalar(sql: string): SqlValue | undefined {
		const statement = this.prepare(sql, NO_PARAMS);
		try {
			return statement.step() ? statement.get()[0] : undefined;
		} finally {
			statement.reset();
		}
	}

	private prepare(sql: string, params: SqlParams): Statement {
		let statement = this.statements.get(sql);
		if (!statement) {
			statement = this.db.prepare(sql);
			if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.evictOldest();
			this.statements.set(sql, statement);
		}
		if (params.length === 0) return statement;
		try {
			statement.bind(params as SqlValue[]);
		} catch (error) {
			statement.reset();
			throw error;
		}
		return statement;
	}

	private evictOldest(): void {
		const [sql, statement] = this.statements.entries().next().value ?? [];
		if (sql === undefined || !statement) return;
		this.statements.delete(sql);
		statement.free();
	}
}
