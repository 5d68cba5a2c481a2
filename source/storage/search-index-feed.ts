import type { IndexedMessage } from './search-index-core.js';
import type { SqlReader } from './sql-types.js';

// What the search index is fed from the messages table (search-index-host.ts).

type FeedRow = {
	id: number;
	conversation: string;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: string | Uint8Array;
	deleted: number;
};

const columns = 'id, conversation, sender, recipient, group_name, body, deleted';

const toIndexed = (row: FeedRow): IndexedMessage => ({
	id: row.id,
	conversation: row.conversation,
	sender: row.sender,
	recipient: row.recipient,
	group: row.group_name,
	body: typeof row.body === 'string' ? row.body : Buffer.from(row.body).toString('utf8'),
});

/** The next `limit` messages above `after`: the live ones, and the newest id the batch covered. */
export function messagesAfter(
	db: SqlReader,
	after: number,
	limit: number,
): { messages: IndexedMessage[]; through: number; rows: number } {
	const rows = db.all<FeedRow>(`SELECT ${columns} FROM messages WHERE id > ? ORDER BY id LIMIT ?`, [
		after,
		limit,
	]);
	return {
		messages: rows.filter((row) => row.deleted === 0).map(toIndexed),
		through: rows.length > 0 ? rows[rows.length - 1]!.id : after,
		rows: rows.length,
	};
}

/** The live messages among these ids, as they are now. */
export function liveMessages(db: SqlReader, ids: readonly number[]): IndexedMessage[] {
	if (ids.length === 0) return [];
	return db
		.all<FeedRow>(
			`SELECT ${columns} FROM messages
			WHERE id IN (SELECT value FROM json_each(?)) AND deleted = 0 ORDER BY id`,
			[JSON.stringify(ids)],
		)
		.map(toIndexed);
}

/** Every live message up to `through`, as it is now (what the index should hold; tests). */
export function liveMessagesThrough(db: SqlReader, through: number): IndexedMessage[] {
	return db
		.all<FeedRow>(`SELECT ${columns} FROM messages WHERE id <= ? AND deleted = 0`, [through])
		.map(toIndexed);
}
