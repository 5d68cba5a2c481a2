import type { MessageRecord, SearchQuery, SearchTerm } from '../domain/types.js';
import { conversationScope, userScope } from './search-document.js';
import { messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import type { SqlReader, SqlWriter } from './sql-types.js';

/** Query phrases per FTS4 MATCH at most; more (a user in very many groups) are split up. */
const defaultMaxPhrases = 1000;

/*
 * message_words takes its words from message_documents (schema v6, external content): to take a
 * message out, FTS4 reads its words from the row as it is then, so an entry is deleted before its
 * row changes, and only for a message in the index (search-indexer.ts: ids up to `indexedThrough`
 * that are not deleted). Deleting an entry FTS4 never had would corrupt the index.
 */

/** Takes an indexed message's entry out, before its row changes (edit, delete). */
export function unindexMessage(tx: SqlWriter, id: number, indexedThrough: number): void {
	if (id <= indexedThrough) tx.run('DELETE FROM message_words WHERE docid = ?', [id]);
}

/** Puts an indexed message's entry back after its row changed (edit). */
export function reindexMessage(tx: SqlWriter, id: number, indexedThrough: number): void {
	if (id <= indexedThrough) {
		tx.run(
			'INSERT INTO message_words (docid, words) SELECT rowid, words FROM message_documents WHERE rowid = ?',
			[id],
		);
	}
}

/** Takes out the entries of every message of a conversation (a deleted group), before the rows go. */
export function unindexConversation(
	tx: SqlWriter,
	conversation: string,
	indexedThrough: number,
): void {
	tx.run(
		`DELETE FROM message_words WHERE docid IN
			(SELECT id FROM messages WHERE conversation = ? AND id <= ? AND deleted = 0)`,
		[conversation, indexedThrough],
	);
}

/** An FTS4 MATCH expression: each term (quoted, so "or" is a word) under any of the scopes, ANDed. */
export function matchExpression(terms: readonly SearchTerm[], scopes: readonly string[]): string {
	return terms
		.map((term) => {
			const star = term.prefix ? '*' : '';
			return `(${scopes.map((scope) => `"§${scope}§${term.word}${star}"`).join(' OR ')})`;
		})
		.join(' ');
}

// ?1 MATCH expression, ?2 ids below, ?3 the conversation or NULL for every readable one, ?4 the
// user, ?5 limit. FTS4 is the outer loop (CROSS JOIN keeps it there) and returns docids newest
// first (order=desc), so the scan stops after ?5 rows. The SQL filter says exactly who reads what:
// the scopes only narrow what FTS4 returns, and a shared scope id can never widen it.
export const searchQuery = `
	SELECT ${messageColumns} FROM message_words w CROSS JOIN messages m ON m.id = w.docid
	WHERE w.words MATCH ?1 AND w.docid < ?2 AND m.deleted = 0 AND CASE
		WHEN ?3 IS NOT NULL THEN m.conversation = ?3
		ELSE (m.group_name IS NULL AND (m.sender = ?4 OR m.recipient = ?4))
			OR m.conversation IN (SELECT 'g:' || group_id FROM members WHERE user = ?4)
		END
	ORDER BY w.docid DESC LIMIT ?5`;

/**
 * The messages the user can read that match every term, newest first. `maxPhrases` bounds one
 * MATCH expression (FTS4 limits its depth): beyond it the scopes are searched in parts.
 */
export function searchMessages(
	db: SqlReader,
	user: string,
	query: SearchQuery,
	maxPhrases = defaultMaxPhrases,
): MessageRecord[] {
	if (query.terms.length === 0 || query.limit <= 0) return [];
	let scopes: string[];
	if (query.conversation === undefined) {
		const groups = db.all<{ group_id: number }>('SELECT group_id FROM members WHERE user = ?', [
			user,
		]);
		scopes = [userScope(user), ...groups.map((row) => conversationScope(`g:${row.group_id}`))];
	} else if (query.conversation.startsWith('g:')) {
		scopes = [conversationScope(query.conversation)];
	} else {
		// A direct conversation of the caller's: their scope, narrowed by the SQL filter.
		scopes = [userScope(user)];
	}
	const perMatch = Math.max(1, Math.floor(maxPhrases / query.terms.length));
	const found: MessageRow[] = [];
	for (let start = 0; start < scopes.length; start += perMatch) {
		found.push(
			...db.all<MessageRow>(searchQuery, [
				matchExpression(query.terms, [...new Set(scopes.slice(start, start + perMatch))]),
				query.before ?? Number.MAX_SAFE_INTEGER,
				query.conversation ?? null,
				user,
				query.limit,
			]),
		);
	}
	if (scopes.length <= perMatch) return found.map(toMessage);
	// Each part is newest first; merge them (a message two parts found, through scope ids that
	// collide, once).
	const merged = [...new Map(found.map((row) => [row.id, row])).values()];
	return merged
		.sort((a, b) => b.id - a.id)
		.slice(0, query.limit)
		.map(toMessage);
}
