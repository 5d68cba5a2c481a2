import type { Sql } from 'postgres';
import type { LocatedMessage, MessageRecord } from '../../domain/types.js';
import { messageColumns, toMessage, type MessageRow } from './postgres-rows.js';
import { indexedWords, searchVectorSql } from './postgres-search.js';

type Db = Sql<Record<string, unknown>>;

/** The group id inside a group conversation key (`g:<id>`, as domain/messages.ts names them). */
const groupIdOf = (conversation: string): number | null =>
	conversation.startsWith('g:') ? Number(conversation.slice(2)) : null;

/** The message with this id, tombstone or not, with where it lives. */
export async function findMessage(sql: Db, id: number): Promise<LocatedMessage | undefined> {
	const [row] = await sql<(MessageRow & { conversation: string })[]>`
		SELECT ${sql.unsafe(messageColumns)}, m.conversation FROM messages m WHERE m.id = ${id}`;
	if (!row) return undefined;
	return {
		message: toMessage(row),
		conversation: row.conversation,
		groupId: groupIdOf(row.conversation),
	};
}

/**
 * New text, `edited` and search vector in one statement (a row lock: two edits at once apply one
 * after the other, and the vector always belongs to the text beside it). Undefined when there
 * is no such message or it is a tombstone.
 */
export async function editMessage(
	sql: Db,
	id: number,
	body: string,
	editedAt: string,
): Promise<MessageRecord | undefined> {
	const [row] = await sql<MessageRow[]>`
		UPDATE messages m SET body = ${Buffer.from(body, 'utf8')}, edited = ${editedAt},
			search_vector = ${sql.unsafe(searchVectorSql('new.words'))}
		FROM (SELECT ${indexedWords(body)}::text AS words) AS new
		WHERE m.id = ${id} AND NOT m.deleted
		RETURNING ${sql.unsafe(messageColumns)}`;
	return row && toMessage(row);
}

/**
 * Makes the message a tombstone (empty body, no search vector) and drops its queue entries, in
 * one statement. Undefined when there is none or it was deleted already (a concurrent delete
 * waits for the row and then finds it deleted).
 */
export async function deleteMessage(sql: Db, id: number): Promise<MessageRecord | undefined> {
	const [row] = await sql<MessageRow[]>`
		WITH gone AS (
			UPDATE messages m SET body = ''::bytea, deleted = TRUE, search_vector = NULL
			WHERE m.id = ${id} AND NOT m.deleted
			RETURNING ${sql.unsafe(messageColumns)}),
		unqueued AS (
			DELETE FROM inbox WHERE message_id = ${id} AND EXISTS (SELECT 1 FROM gone))
		SELECT * FROM gone`;
	return row && toMessage(row);
}
