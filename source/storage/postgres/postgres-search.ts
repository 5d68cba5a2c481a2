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
 * Besides its words, a message's vector holds who may find it, as lexemes that start with `#`
 * (never the start of a word, so no query word or prefix can match one): `#c:<conversation>`,
 * and for a direct message `#u:<sender>` and `#u:<recipient>`. The GIN index then answers
 * "these words, in what this user can read" by itself, newest matches or rare ones alike,
 * instead of fetching every message with the words and filtering them.
 */
const accessLexemesSql = `CASE WHEN group_name IS NULL
	THEN ARRAY['#u:' || sender, '#u:' || recipient, '#c:' || conversation]
	ELSE ARRAY['#c:' || conversation] END`;

/**
 * SQL for a row's search_vector: the text of `indexedWords` (the expression `words`) and the
 * access lexemes of the row's columns (conversation, sender, recipient, group_name), which must
 * be in scope unqualified. array_to_tsvector, never to_tsvector: no parser, no stemming, no
 * locale, so the words are exactly those the sql.js store indexes.
 */
export const searchVectorSql = (words: string): string =>
	`array_to_tsvector(string_to_array(${words}, ' ') || ${accessLexemesSql})`;

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

/** The tsquery of what the user may read: one conversation, or their direct messages and groups. */
async function readableTsquery(sql: Db, user: string, conversation?: string): Promise<string> {
	if (conversation !== undefined) return quoteLexeme(`#c:${conversation}`);
	const groups = await sql<{ group_id: number }[]>`
		SELECT group_id FROM members WHERE user_name = ${user}`;
	const lexemes = [`#u:${user}`, ...groups.map((row) => `#c:g:${row.group_id}`)];
	return lexemes.map(quoteLexeme).join(' | ');
}

/**
 * §7.6 through the GIN index on search_vector: the messages that match every term, newest first,
 * in `query.conversation` or else every conversation the user can read now (their direct
 * messages either way; the groups they are a member of).
 */
export async function searchMessages(
	sql: Db,
	user: string,
	query: SearchQuery,
): Promise<MessageRecord[]> {
	if (query.terms.length === 0 || query.limit <= 0) return [];
	const readable = await readableTsquery(sql, user, query.conversation);
	const tsquery = `(${toTsquery(query.terms)}) & (${readable})`;
	// An unnamed statement is planned for its own tsquery each time: a cached generic plan
	// cannot tell a rare word (read the index) from a common one (walk ids down until `limit`).
	const rows = await sql.unsafe<MessageRow[]>(
		`SELECT ${messageColumns} FROM messages m
		WHERE m.search_vector @@ $1::tsquery AND m.id < $2
		ORDER BY m.id DESC LIMIT $3`,
		[tsquery, query.before ?? Number.MAX_SAFE_INTEGER, query.limit],
	);
	return rows.map(toMessage);
}
