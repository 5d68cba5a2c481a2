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

/** SQL that turns the text of `indexedWords` (the expression `words`) into a search_vector. */
export const searchVectorSql = (words: string): string =>
	`array_to_tsvector(string_to_array(${words}, ' '))`;

/** A quoted tsquery lexeme: `'` doubled and `\` escaped, as the tsquery input syntax wants. */
const quoteLexeme = (word: string): string => `'${word.replace(/[\\']/g, (c) => `\\${c}`)}'`;

/**
 * The tsquery text of the terms, every one required: `'word'`, or `'word':*` for a prefix. It is
 * read by a plain cast to tsquery (no parser, no stemming), so it matches exactly the lexemes
 * array_to_tsvector stored.
 */
export function toTsquery(terms: readonly SearchTerm[]): string {
	return terms.map((term) => `${quoteLexeme(term.word)}${term.prefix ? ':*' : ''}`).join(' & ');
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
	const tsquery = toTsquery(query.terms);
	const before = query.before ?? Number.MAX_SAFE_INTEGER;
	const readable =
		query.conversation === undefined
			? sql`(m.group_name IS NULL AND (m.sender = ${user} OR m.recipient = ${user})
				OR m.conversation IN (SELECT 'g:' || group_id FROM members WHERE user_name = ${user}))`
			: sql`m.conversation = ${query.conversation}`;
	const rows = await sql<MessageRow[]>`
		SELECT ${sql.unsafe(messageColumns)} FROM messages m
		WHERE m.search_vector @@ ${tsquery}::tsquery AND m.id < ${before} AND ${readable}
		ORDER BY m.id DESC LIMIT ${query.limit}`;
	return rows.map(toMessage);
}
