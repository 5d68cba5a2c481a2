import { openPostgresStore } from '../../source/storage/postgres/open-postgres-store.js';
import { indexedWords, searchVectorSql } from '../../source/storage/postgres/postgres-search.js';
import type { PostgresChatStore } from '../../source/storage/postgres/postgres-chat-store.js';
import { corpusShape, SearchCorpus } from './search-corpus.js';
import { phaseTimer, SearchPlan, type SearchFixture, type StoredMessage } from './search-plan.js';

/**
 * Fills an empty PostgreSQL database with the corpus: users, sessions and groups through the
 * store; the messages by the same `INSERT … SELECT FROM unnest(…)` as the store's appender,
 * search vector included (searchVectorSql over indexedWords), 5,000 rows per statement, ids
 * 1…n, then the id counter moved past them; every user acknowledges all of it; ANALYZE.
 */
export async function buildPostgresSearchFixture(
	storeUrl: string,
	messages: number,
): Promise<SearchFixture> {
	const timer = phaseTimer();
	const store = await openPostgresStore(storeUrl);
	try {
		const plan = await SearchPlan.prepare(store, new SearchCorpus(corpusShape(messages)));
		timer.end('accounts');
		let nextId = 1;
		const batch: StoredMessage[] = [];
		for (const row of plan.rows()) {
			batch.push(row);
			if (batch.length === 5000) {
				await insertBatch(store, nextId, batch.splice(0));
				nextId += 5000;
			}
		}
		await insertBatch(store, nextId, batch);
		await store.sql`UPDATE message_counter SET last = ${messages}`;
		timer.end('messages');
		for (const user of plan.users) await store.acknowledge(user, messages);
		timer.end('acknowledge');
		await store.sql`ANALYZE`;
		timer.end('close');
		return plan.fixture(timer.totalMs(), timer.phasesMs);
	} finally {
		await store.close();
	}
}

async function insertBatch(store: PostgresChatStore, firstId: number, rows: StoredMessage[]) {
	if (rows.length === 0) return;
	const sql = store.sql;
	const column = <T>(pick: (row: StoredMessage) => T) => rows.map(pick);
	await sql`
		INSERT INTO messages (id, conversation, sender, recipient, group_name, body, date, search_vector)
		SELECT id, conversation, sender, recipient, group_name, convert_to(body, 'UTF8'), date,
			${sql.unsafe(searchVectorSql('words'))}
		FROM unnest(${rows.map((_, i) => firstId + i)}::int8[],
			${column((row) => row.conversation)}::text[],
			${column((row) => row.sender)}::text[],
			${column((row) => row.recipient)}::text[],
			${column((row) => row.group)}::text[],
			${column((row) => row.body)}::text[],
			${column((row) => row.date)}::text[],
			${column((row) => indexedWords(row.body))}::text[])
			AS x (id, conversation, sender, recipient, group_name, body, date, words)`;
}
