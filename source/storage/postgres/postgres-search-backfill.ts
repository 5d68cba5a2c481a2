import type { Sql } from 'postgres';
import { indexedWords, searchVectorSql } from './postgres-search.js';
import { transaction } from './transaction.js';

type Db = Sql<Record<string, unknown>>;

/** Messages indexed per transaction: short transactions, so appends and edits barely wait. */
export const backfillBatch = 500;

/**
 * Completes schema version 2: fills the search vector of every message that lacks one (those
 * written before it), in batches of `batchSize`, each its own transaction. Idempotent, and
 * safe when several nodes start at once: each batch locks its rows and skips rows another node
 * holds, and once nothing is left to skip it waits for those nodes' batches, so it returns only
 * when every message is indexed; then, if it indexed any, analyzes the vectors for the planner.
 * Returns how many this call indexed.
 */
export async function fillMissingSearchVectors(
	sql: Db,
	batchSize = backfillBatch,
): Promise<number> {
	let indexed = 0;
	for (let skipLocked = true; ;) {
		const filled = await fillBatch(sql, batchSize, skipLocked);
		indexed += filled;
		// Nothing free to take: wait once for rows other nodes hold (FOR UPDATE re-checks them).
		if (filled === 0 && !skipLocked) {
			// The planner's word counts, so searches pick their plan from the vectors just written.
			if (indexed > 0) await sql`ANALYZE messages (search_vector)`;
			return indexed;
		}
		skipLocked = filled > 0;
	}
}

async function fillBatch(sql: Db, batchSize: number, skipLocked: boolean): Promise<number> {
	return transaction(sql, async (tx) => {
		const rows = await tx<{ id: number; body: Buffer }[]>`
			SELECT id, body FROM messages
			WHERE search_vector IS NULL AND NOT deleted
			ORDER BY id LIMIT ${batchSize}
			FOR UPDATE ${skipLocked ? tx`SKIP LOCKED` : tx``}`;
		if (rows.length === 0) return 0;
		await tx`
			UPDATE messages m SET search_vector = ${tx.unsafe(searchVectorSql('x.words'))}
			FROM unnest(${rows.map((row) => row.id)}::int8[],
				${rows.map((row) => indexedWords(row.body.toString('utf8')))}::text[]) AS x (id, words)
			WHERE m.id = x.id`;
		return rows.length;
	});
}
