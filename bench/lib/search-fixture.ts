import { openChatStore } from '../../source/storage/open-chat-store.js';
import {
	captureSnapshot,
	loadSnapshot,
	writeSnapshotFile,
} from '../../source/storage/snapshot-file.js';
import type { SqlConnection } from '../../source/storage/sql-connection.js';
import { markEveryMessageIndexed } from '../../source/storage/sql-message-rows.js';
import { searchDocument } from '../../source/storage/search-document.js';
import { nodeFileSystem } from '../../source/storage/storage-file-system.js';
import { corpusShape, SearchCorpus } from './search-corpus.js';
import { phaseTimer, SearchPlan, type SearchFixture, type StoredMessage } from './search-plan.js';

const insertMessage = `INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
	VALUES (?, ?, ?, ?, ?, ?) RETURNING id`;
// The search indexer says INSERT OR REPLACE (an id may be indexed already there); every id here is new,
// and a plain INSERT into FTS4 skips the lookup of an old row (a third faster at a million).
const insertWords = 'INSERT INTO message_words (docid, words) VALUES (?, ?)';

/**
 * Builds a sql.js data folder holding the corpus: users, sessions and groups through the store;
 * then the messages straight into its snapshot image (journaling a million of them would make the
 * closing snapshot replay them all again), in transactions of 10,000, with the store's schema and
 * its own search document (searchDocument) as appendMessage writes them, minus the queue: last,
 * every user acknowledges everything through the store.
 */
export async function buildSearchFixture(dir: string, messages: number): Promise<SearchFixture> {
	const timer = phaseTimer();
	const store = await openChatStore(dir);
	const plan = await SearchPlan.prepare(store, new SearchCorpus(corpusShape(messages)));
	await store.close();
	timer.end('accounts');
	const { connection, generation } = await loadSnapshot(nodeFileSystem, dir);
	try {
		const batch: StoredMessage[] = [];
		for (const row of plan.rows()) {
			batch.push(row);
			if (batch.length === 10_000) insertBatch(connection, batch.splice(0));
		}
		insertBatch(connection, batch);
		// Every message is indexed: the store's indexer has nothing to catch up on.
		connection.runUnjournaled(markEveryMessageIndexed, []);
		await writeSnapshotFile(nodeFileSystem, dir, captureSnapshot(connection, generation));
	} finally {
		connection.close();
	}
	timer.end('messages');
	// The history is old news: every user has acknowledged all of it (else binding pushes it).
	const reopened = await openChatStore(dir);
	const newest = await reopened.lastMessageId();
	for (const user of plan.users) await reopened.acknowledge(user, newest);
	timer.end('acknowledge');
	// A store that has been running has merged its search index (search-index-merger.ts); the
	// fixture's 10,000-message transactions left it in many segments. Journaled, so the closing
	// snapshot holds the merged index.
	await reopened.searchIndexMerger.whenIdle();
	timer.end('merge');
	await reopened.close();
	timer.end('close');
	return plan.fixture(timer.totalMs(), timer.phasesMs);
}

function insertBatch(connection: SqlConnection, rows: readonly StoredMessage[]): void {
	connection.begin();
	try {
		for (const row of rows) {
			const values = [row.conversation, row.sender, row.recipient, row.group, row.body, row.date];
			const { id } = connection.get<{ id: number }>(insertMessage, values)!;
			connection.run(insertWords, [id, searchDocument(row)]);
		}
		connection.commit();
	} catch (error) {
		connection.rollback();
		throw error;
	}
}
