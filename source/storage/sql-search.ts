import { searchWords } from '../domain/search-words.js';
import type { MessageRecord, SearchQuery, SearchTerm } from '../domain/types.js';
import type { JournaledDatabase } from './journaled-database.js';
import { exactText, messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import type { SqlReader, SqlWriter } from './sql-types.js';

/**
 * The search index is the FTS4 table message_words (schema v4): docid = message id, one token per
 * word of searchWords() and per scope the message is readable in. FTS4's `simple` tokenizer splits
 * at ASCII non-alphanumerics and keeps every non-ASCII character inside a token.
 *
 * A token is "§<scope>§<word>": "§" is no letter or digit, so no word and no query term holds one,
 * yet `simple` keeps it inside the token. The scopes of a message are its group, or for a direct
 * message each party. A query term becomes the OR of "§<scope>§<word>" over the caller's scopes
 * (their own, one per group they are in now, or just the conversation asked for), so each term's
 * doclist already holds only messages the caller may read: FTS4 walks matches the caller can see,
 * newest first (order=desc), and stops at the limit, however common the word is elsewhere. A
 * prefix term "§<scope>§wor*" reads the words starting with "wor" within that scope alone.
 *
 * Scope ids are short hashes: two scopes sharing one only make FTS4 return extra rows, which the
 * SQL filter of searchQuery (the real authority on who reads what) drops.
 */
function scopeId(key: string): string {
	let hash = 0x811c9dc5;
	for (let index = 0; index < key.length; index++) {
		hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193) >>> 0;
	}
	return hash.toString(36);
}
const userScope = (user: string) => scopeId(`u:${user}`);
const conversationScope = (conversation: string) => scopeId(conversation);

/** Query phrases per FTS4 MATCH at most; more (a user in very many groups) are split up. */
const defaultMaxPhrases = 1000;

/** What the search document of a message is made from. */
export type SearchableMessage = {
	readonly conversation: string;
	readonly sender: string;
	readonly recipient: string;
	readonly group: string | null;
	readonly body: string;
};

/** The text FTS4 indexes for a message: each of its words under each of its scopes. */
export function searchDocument(message: SearchableMessage): string {
	const scopes =
		message.group !== null
			? [conversationScope(message.conversation)]
			: [...new Set([userScope(message.sender), userScope(message.recipient)])];
	const words = searchWords(message.body);
	return scopes.flatMap((scope) => words.map((word) => `§${scope}§${word}`)).join(' ');
}

/** Writes the search entry of a new message (inside its append transaction). */
export function indexMessage(tx: SqlWriter, id: number, message: SearchableMessage): void {
	tx.run('INSERT OR REPLACE INTO message_words (docid, words) VALUES (?, ?)', [
		id,
		searchDocument(message),
	]);
}

/** Replaces the search entry of an edited message. */
export function reindexMessage(tx: SqlWriter, id: number, message: SearchableMessage): void {
	tx.run('UPDATE message_words SET words = ? WHERE docid = ?', [searchDocument(message), id]);
}

export function unindexMessage(tx: SqlWriter, id: number): void {
	tx.run('DELETE FROM message_words WHERE docid = ?', [id]);
}

/** Drops the search entries of every message of a conversation (a deleted group). */
export function unindexConversation(tx: SqlWriter, conversation: string): void {
	tx.run(
		'DELETE FROM message_words WHERE docid IN (SELECT id FROM messages WHERE conversation = ?)',
		[conversation],
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

type UnindexedRow = {
	id: number;
	conversation: string;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: Uint8Array;
};

/**
 * Indexes the messages written before schema v4 (search_backfill says up to which id), one
 * journaled batch at a time with its progress: after a crash it resumes where the last batch
 * committed, and once done it writes nothing. Returns how many messages it indexed.
 * `maxBatches` stops it early (tests use it to leave the work half done, as a crash would).
 */
export function indexUnsearchedMessages(
	db: JournaledDatabase,
	batchSize = 2000,
	maxBatches = Number.POSITIVE_INFINITY,
): number {
	let indexed = 0;
	for (let batch = 0; batch < maxBatches; batch++) {
		const progress = db.get<{ up_to: number; done: number }>(
			'SELECT up_to, done FROM search_backfill',
		);
		if (!progress) return indexed;
		indexed += db.write((tx) => {
			const rows = tx.all<UnindexedRow>(
				`SELECT id, conversation, sender, recipient, group_name, CAST(body AS BLOB) AS body
				FROM messages WHERE id > ? AND id <= ? AND deleted = 0 ORDER BY id LIMIT ?`,
				[progress.done, progress.up_to, batchSize],
			);
			if (rows.length === 0) {
				tx.run('DELETE FROM search_backfill');
				return 0;
			}
			for (const row of rows) {
				indexMessage(tx, row.id, {
					conversation: row.conversation,
					sender: row.sender,
					recipient: row.recipient,
					group: row.group_name,
					body: exactText(row.body),
				});
			}
			tx.run('UPDATE search_backfill SET done = ?', [rows.at(-1)!.id]);
			return rows.length;
		});
	}
	return indexed;
}
