import { openChatStore } from '../../source/storage/open-chat-store.js';
import {
	captureSnapshot,
	loadSnapshot,
	writeSnapshotFile,
} from '../../source/storage/snapshot-file.js';
import type { SqlConnection } from '../../source/storage/sql-connection.js';
import { nodeFileSystem } from '../../source/storage/storage-file-system.js';
import { corpusShape, SearchCorpus } from './search-corpus.js';
import { phaseTimer, SearchPlan, type SearchFixture, type StoredMessage } from './search-plan.js';

const insertMessage = `INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
	VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * Builds a sql.js data folder holding the corpus: users, sessions and groups through the store;
 * then the messages straight into its snapshot image (journaling a million of them would make the
 * closing snapshot replay them all again), in transactions of 10,000, with the store's schema and
 * minus the queue. The store opened again then builds its search index from them (on its own
 * thread, search-index-host.ts) and saves it when closed; every user acknowledges everything.
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
	// A store that has been running has its search index merged; closing saves it for the servers.
	await reopened.searchIndex.settled();
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
			connection.run(insertMessage, values);
		}
		connection.commit();
	} catch (error) {
		connection.rollback();
		throw error;
	}
}
