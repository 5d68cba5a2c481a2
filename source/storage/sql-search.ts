import { searchWords } from '../domain/search-words.js';
import type { MessageRecord, SearchQuery, SearchTerm } from '../domain/types.js';
import type { JournaledDatabase } from './journaled-database.js';
import { exactText, messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import type { SqlReader, SqlWriter } from './sql-types.js';

/**
 * The search index is the FTS4 table message_words (schema v4): docid = message id, document =
 * the message's searchWords() joined by spaces, then scope tokens saying who may read it. FTS4's
 * `simple` tokenizer splits at ASCII non-alphanumerics and keeps every non-ASCII character inside
 * a token, so each word of searchWords() is exactly one token.
 *
 * A scope token starts with "§": not a letter or digit, so no word and no query term ever holds
 * one, yet `simple` keeps it in a token. Every message carries its conversation's token; a direct
 * message also carries a token per party. A search ANDs the query words with the OR of the
 * caller's tokens (their party token and one per group they are in now), so FTS4 itself finds the
 * readable matches newest first and stops at the limit, instead of SQLite filtering every match.
 */
const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const conversationToken = (conversation: string) => `§c${hex(conversation)}`;
const partyToken = (user: string) => `§d${hex(user)}`;

/** More groups than this and the query leaves the conversation filter to SQL alone. */
const maxScopeTokens = 500;

/** What the search document of a message is made from. */
export type SearchableMessage = {
	readonly conversation: string;
	readonly sender: string;
	readonly recipient: string;
	readonly group: string | null;
	readonly body: string;
};

/** The text FTS4 indexes for a message: its words, then its scope tokens. */
export function searchDocument(message: SearchableMessage): string {
	const tokens = [conversationToken(message.conversation)];
	if (message.group === null) {
		tokens.push(partyToken(message.sender));
		if (message.recipient !== message.sender) tokens.push(partyToken(message.recipient));
	}
	return [...searchWords(message.body), ...tokens].join(' ');
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

/** An FTS4 MATCH expression: every term quoted (so "or" or "NEAR" is a word), AND the scope. */
export function matchExpression(terms: readonly SearchTerm[], scope: readonly string[]): string {
	const words = terms.map((term) => `"${term.word}${term.prefix ? '*' : ''}"`);
	if (scope.length > 0) words.push(`(${scope.map((token) => `"${token}"`).join(' OR ')})`);
	return words.join(' ');
}

// ?1 MATCH expression, ?2 ids below, ?3 the conversation or NULL for every readable one, ?4 the
// user, ?5 limit. FTS4 is the outer loop (CROSS JOIN keeps it there) and returns docids newest
// first (order=desc), so the scan stops after ?5 rows. The SQL filter repeats what the scope tokens
// say: a wrong token could never widen what a user reads.
export const searchQuery = `
	SELECT ${messageColumns} FROM message_words w CROSS JOIN messages m ON m.id = w.docid
	WHERE w.words MATCH ?1 AND w.docid < ?2 AND m.deleted = 0 AND CASE
		WHEN ?3 IS NOT NULL THEN m.conversation = ?3
		ELSE (m.group_name IS NULL AND (m.sender = ?4 OR m.recipient = ?4))
			OR m.conversation IN (SELECT 'g:' || group_id FROM members WHERE user = ?4)
		END
	ORDER BY w.docid DESC LIMIT ?5`;

/** The messages the user can read that match every term, newest first. */
export function searchMessages(db: SqlReader, user: string, query: SearchQuery): MessageRecord[] {
	if (query.terms.length === 0 || query.limit <= 0) return [];
	let scope: string[];
	if (query.conversation !== undefined) scope = [conversationToken(query.conversation)];
	else {
		const groups = db.all<{ group_id: number }>('SELECT group_id FROM members WHERE user = ?', [
			user,
		]);
		scope =
			groups.length < maxScopeTokens
				? [partyToken(user), ...groups.map((row) => conversationToken(`g:${row.group_id}`))]
				: [];
	}
	const rows = db.all<MessageRow>(searchQuery, [
		matchExpression(query.terms, scope),
		query.before ?? Number.MAX_SAFE_INTEGER,
		query.conversation ?? null,
		user,
		query.limit,
	]);
	return rows.map(toMessage);
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
