import type { MessageRecord } from '../domain/types.js';
import type { SqlReader } from './sql-types.js';

/** A messages row as `messageColumns` selects it. */
export type MessageRow = {
	id: number;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: Uint8Array;
	date: string;
	reply_to: number | null;
	edited: string | null;
	deleted: number;
};

// sql.js decodes TEXT with a TextDecoder that drops a leading U+FEFF, so free text is read as its
// UTF-8 bytes and decoded here: what a user wrote comes back byte for byte.
export const exactText = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

/** The columns of a MessageRow, from `messages m`. */
export const messageColumns =
	'm.id, m.sender, m.recipient, m.group_name, CAST(m.body AS BLOB) AS body, m.date, ' +
	'm.reply_to, m.edited, m.deleted';

/** The MessageRecord of a row: `replyTo` null or the id; `edited` and `deleted` only when set. */
export function toMessage(row: MessageRow): MessageRecord {
	return {
		id: row.id,
		from: row.sender,
		to: row.recipient,
		group: row.group_name,
		body: exactText(row.body),
		date: row.date,
		replyTo: row.reply_to,
		...(row.edited === null ? {} : { edited: row.edited }),
		...(row.deleted ? { deleted: true } : {}),
	};
}

/**
 * The newest message id ever given: AUTOINCREMENT's counter, not MAX(id), so deleting a group's
 * newest messages never lowers it (ids are given by SqlMessages, and the counter follows them).
 */
export function lastMessageId(db: SqlReader): number {
	return (
		db.get<{ seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'messages'")?.seq ?? 0
	);
}
