import { searchWords } from '../domain/search-words.js';

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

// Scope ids by key: every message hashes one or two, and the same ones again and again.
const scopeIds = new Map<string, string>();
const maxCachedScopes = 100_000;

function cachedScopeId(key: string): string {
	let id = scopeIds.get(key);
	if (id === undefined) {
		if (scopeIds.size >= maxCachedScopes) scopeIds.clear();
		id = scopeId(key);
		scopeIds.set(key, id);
	}
	return id;
}

export const userScope = (user: string) => cachedScopeId(`u:${user}`);
export const conversationScope = (conversation: string) => cachedScopeId(conversation);

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
	const words = searchWords(message.body);
	if (message.group !== null) return scoped(conversationScope(message.conversation), words);
	const sender = userScope(message.sender);
	const recipient = userScope(message.recipient);
	const sent = scoped(sender, words);
	return recipient === sender ? sent : `${sent} ${scoped(recipient, words)}`;
}

/** "§<scope>§<word>" for each word, joined by spaces. */
function scoped(scope: string, words: readonly string[]): string {
	const prefix = `§${scope}§`;
	let text = '';
	for (const word of words) text += text === '' ? prefix + word : ` ${prefix}${word}`;
	return text;
}

/**
 * searchDocument as the SQL function `search_document(conversation, sender, recipient,
 * group_name, body)`, which every connection has (sql-connection.ts): the search indexer indexes
 * a range of messages in one statement, and the journal replays that statement as it ran.
 */
export const searchDocumentSql = {
	name: 'search_document',
	fn: (
		conversation: unknown,
		sender: unknown,
		recipient: unknown,
		group: unknown,
		body: unknown,
	): string =>
		searchDocument({
			conversation: String(conversation),
			sender: String(sender),
			recipient: String(recipient),
			group: group === null ? null : String(group),
			body: typeof body === 'string' ? body : Buffer.from(body as Uint8Array).toString('utf8'),
		}),
} as const;
