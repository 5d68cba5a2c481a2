import type { IndexedMessage } from './search-index-core.js';
import { exactText } from './sql-message-rows.js';
import type { SqlReader } from './sql-types.js';

// What the search index is fed from the messages table (search-index-host.ts).

/** A message's row as the index is fed it, the body as its bytes. */
export type IndexedRow = {
	id: number;
	conversation: string;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: Uint8Array;
};

type FeedRow = IndexedRow & { deleted: number };

// The body as its bytes (sql-message-rows.ts, exactText): sql.js's TEXT decoding drops a leading
// U+FEFF, and the words indexed must be those an edit or delete later takes out.
const columns =
	'id, conversation, sender, recipient, group_name, CAST(body AS BLOB) AS body, deleted';

export const toIndexed = (row: IndexedRow): IndexedMessage => ({
	id: row.id,
	conversation: row.conversation,
	sender: row.sender,
	recipient: row.recipient,
	group: row.group_name,
	body: exactText(row.body),
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
