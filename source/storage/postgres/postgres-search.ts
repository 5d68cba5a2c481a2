import type { Sql } from 'postgres';
import { searchWords } from '../../domain/search-words.js';
import type { MessageRecord, SearchQuery, SearchTerm } from '../../domain/types.js';
import { messageColumns, toMessage, type MessageRow } from './postgres-rows.js';

type Db = Sql<Record<string, unknown>>;

/**
 * The words a message is indexed by, as one text for `searchVectorSql`: searchWords(body) joined
 * by spaces (a word holds only letters and digits, so a space never appears inside one).
 */
export const indexedWords = (body: string): string => searchWords(body).join(' ');

/**
 * SQL for a row's search_vector: the words of `indexedWords` (the SQL expression `words`) as
 * lexemes, nothing else; who may read a message is checked in plain SQL at search time.
 * array_to_tsvector, never to_tsvector: no parser, no stemming, no locale, so the words are
 * exactly those the sql.js store indexes.
 */
export const searchVectorSql = (words: string): string =>
	`array_to_tsvector(string_to_array(${words}, ' '))`;

/** A quoted tsquery lexeme: `'` and `\` escaped, as the tsquery input syntax wants. */
const quoteLexeme = (word: string): string => `'${word.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * The tsquery text of the terms, every one required: `'word'`, or `'word':*` for a prefix. It is
 * read by a plain cast to tsquery (no parser, no stemming), so it matches exactly the lexemes
 * array_to_tsvector stored.
 */
export function toTsquery(terms: readonly SearchTerm[]): string {
	return terms.map((term) => `${quoteLexeme(term.word)}${term.prefix ? ':*' : ''}`).join(' & ');
}

/** The conversation keys of the groups the user is a member of now. */
async function groupConversations(sql: Db, user: string): Promise<string[]> {
	const rows = await sql<{ key: string }[]>`
		SELECT 'g:' || group_id AS key FROM members WHERE user_name = ${user}`;
	return rows.map((row) => row.key);
}

/**
 * How far below the newest id a prefix search looks first. A prefix matches many words, so GIN
 * hands back thousands of rows (6,000 of 1,000,000 for `rab*`): reading each to test access, or
 * walking ids down until `limit` pass, costs 20–70 ms. Within the newest ids the planner can AND
 * the GIN bitmap with a range of the primary key instead and read only those rows (5–15 ms).
 */
export const prefixWindow = 200_000;

/**
 * §7.6: the messages that match every term, newest first, in `query.conversation` or else every
 * conversation the user can read now (their direct messages either way; the groups they are a
 * member of). The tsquery holds only the words; who may read is plain SQL on the row's columns,
 * so the planner can choose, per query, between the GIN index (a rare word: read its few
 * matches, keep the readable ones, sort) and walking ids down an index with the access test and
 * the `@@` as a filter until `limit` rows pass (a common word). A prefix searched everywhere
 * looks in the newest `window` ids first, and further only when those hold too few.
 */
export async function searchMessages(
	sql: Db,
	user: string,
	query: SearchQuery,
	window = prefixWindow,
): Promise<MessageRecord[]> {
	if (query.terms.length === 0 || query.limit <= 0) return [];
	const before = query.before ?? Number.MAX_SAFE_INTEGER;
	const words = toTsquery(query.terms);
	// Unnamed statements, planned for their own values each time: a cached generic plan cannot
	// tell a rare word (read the index) from a common one (walk ids down until `limit`).
	if (query.conversation !== undefined) {
		const rows = await sql.unsafe<MessageRow[]>(
			`SELECT ${messageColumns} FROM messages m
			WHERE m.search_vector @@ $1::tsquery AND m.id < $2 AND m.conversation = $4
			ORDER BY m.id DESC LIMIT $3`,
			[words, before, query.limit, query.conversation],
		);
		return rows.map(toMessage);
	}
	const groups = await groupConversations(sql, user);
	const everywhere = (above: number) =>
		sql.unsafe<MessageRow[]>(
			`SELECT ${messageColumns} FROM messages m
			WHERE m.search_vector @@ $1::tsquery AND m.id < $2 AND m.id > $6
				AND ((m.group_name IS NULL AND (m.sender = $4 OR m.recipient = $4))
					OR m.conversation = ANY($5::text[]))
			ORDER BY m.id DESC LIMIT $3`,
			[words, before, query.limit, user, groups, above],
		);
	if (query.terms.some((term) => term.prefix)) {
		const [counter] = await sql<{ last: number }[]>`SELECT last FROM message_counter`;
		const above = Math.min(before, Number(counter!.last) + 1) - window;
		// The newest matches all lie above `above`: enough of them there is the whole answer.
		if (above > 0) {
			const recent = await everywhere(above);
			if (recent.length === query.limit) return recent.map(toMessage);
		}
	}
	return (await everywhere(0)).map(toMessage);
}
