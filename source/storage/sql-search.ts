import type { MessageRecord, SearchQuery, SearchTerm } from '../domain/types.js';
import { conversationScope, userScope } from './search-document.js';
import { messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import type { SqlReader } from './sql-types.js';

/** Query phrases per FTS4 MATCH at most; more (a user in very many groups) are split up. */
const defaultMaxPhrases = 1000;

/** An FTS4 MATCH expression: each term (quoted, so "or" is a word) under any of the scopes, ANDed. */
export function matchExpression(terms: readonly SearchTerm[], scopes: readonly string[]): string {
	return terms
		.map((term) => {
			const star = term.prefix ? '*' : '';
			return `(${scopes.map((scope) => `"§${scope}§${term.word}${star}"`).join(' OR ')})`;
		})
		.join(' ');
}

/** Where a search's candidates come from (search-index-host.ts). */
export interface SearchCandidates {
	candidates(expressions: readonly string[], before: number, limit: number): Promise<number[]>;
}

// ?1 the candidate ids (JSON), ?2 the conversation or NULL for every readable one, ?3 the user.
// The index's scopes only narrow what it returns; this filter says exactly who reads what, and a
// shared scope id can never widen it.
export const readableQuery = `
	SELECT ${messageColumns} FROM messages m
	WHERE m.id IN (SELECT value FROM json_each(?1)) AND m.deleted = 0 AND CASE
		WHEN ?2 IS NOT NULL THEN m.conversation = ?2
		ELSE (m.group_name IS NULL AND (m.sender = ?3 OR m.recipient = ?3))
			OR m.conversation IN (SELECT 'g:' || group_id FROM members WHERE user = ?3)
		END
	ORDER BY m.id DESC`;

/**
 * The messages the user can read that match every term, newest first. `maxPhrases` bounds one
 * MATCH expression (FTS4 limits its depth): beyond it the scopes are searched in parts. The index
 * answers candidates a page at a time; those the user cannot read (a scope id shared by chance)
 * are dropped here and the next page asked for.
 */
export async function searchMessages(
	db: SqlReader,
	index: SearchCandidates,
	user: string,
	query: SearchQuery,
	maxPhrases = defaultMaxPhrases,
): Promise<MessageRecord[]> {
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
	const expressions: string[] = [];
	for (let start = 0; start < scopes.length; start += perMatch) {
		expressions.push(
			matchExpression(query.terms, [...new Set(scopes.slice(start, start + perMatch))]),
		);
	}
	const found: MessageRow[] = [];
	let before = query.before ?? Number.MAX_SAFE_INTEGER;
	while (found.length < query.limit) {
		const ids = await index.candidates(expressions, before, query.limit);
		if (ids.length === 0) break;
		found.push(
			...db.all<MessageRow>(readableQuery, [JSON.stringify(ids), query.conversation ?? null, user]),
		);
		if (ids.length < query.limit) break;
		before = ids[ids.length - 1]!;
	}
	return found.slice(0, query.limit).map(toMessage);
}
