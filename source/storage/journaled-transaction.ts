import type { JournalWriter } from './journal-writer.js';
import { isReadOnlySql, isRowChangingSql } from './sql-classify.js';
import type { SqlConnection } from './sql-connection.js';
import { NO_PARAMS, type RunResult, type SqlParams, type SqlWriter } from './sql-types.js';

/**
 * The `tx` handed to write(): runs SQL and records every statement that may have changed data.
 * A statement that throws is recorded too, flagged: with OR FAIL or RAISE(FAIL) it keeps the rows
 * it changed before failing, and a caller may catch the error and commit.
 */
export class JournaledTransaction implements SqlWriter {
	/** True only while write()'s callback runs. */
	active = false;

	constructor(
		private readonly connection: SqlConnection,
		private readonly journal: JournalWriter,
	) {}

	get<T extends object>(sql: string, params: SqlParams = NO_PARAMS): T | undefined {
		return this.query(sql, params, () => this.connection.get<T>(sql, params));
	}

	all<T extends object>(sql: string, params: SqlParams = NO_PARAMS): T[] {
		return this.query(sql, params, () => this.connection.all<T>(sql, params));
	}

	run(sql: string, params: SqlParams = NO_PARAMS): RunResult {
		this.assertActive();
		const mark = this.journal.appendStatement(sql, params);
		let result: RunResult;
		try {
			result = this.connection.run(sql, params);
		} catch (error) {
			this.journal.markFailed(mark);
			throw error;
		}
		const changedNothing = isReadOnlySql(sql) || (result.changes === 0 && isRowChangingSql(sql));
		if (changedNothing) this.journal.discardFrom(mark);
		return result;
	}

	/** Several statements at once (migrations); journaled as one script. */
	exec(script: string): void {
		this.assertActive();
		const mark = this.journal.appendScript(script);
		try {
			this.connection.exec(script);
		} catch (error) {
			this.journal.markFailed(mark);
			throw error;
		}
	}

	// A read that may change data (INSERT ... RETURNING, PRAGMA x = y) is journaled.
	private query<R>(sql: string, params: SqlParams, read: () => R): R {
		this.assertActive();
		if (isReadOnlySql(sql)) return read();
		const mark = this.journal.appendStatement(sql, params);
		try {
			return read();
		} catch (error) {
			this.journal.markFailed(mark);
			throw error;
		}
	}

	private assertActive(): void {
		if (!this.active) {
			throw new Error('this transaction has ended: use tx only inside its write() callback');
		}
	}
}
