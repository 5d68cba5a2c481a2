import { conversationWith } from './conversations.js';
import { badRequest } from './errors.js';
import { parsePositive } from './messages.js';
import { searchTerms } from './search-words.js';
import type { ChatStore } from './store.js';
import type { MessageRecord } from './types.js';

export const defaultSearchLimit = 20;
export const maxSearchLimit = 100;
export const maxQueryLength = 200;

/** The headers of a SEARCH (§7.6), as they came. */
export type SearchRequest = {
	readonly target?: string;
	readonly query?: string;
	readonly limit?: string;
	readonly before?: string;
};

/** SEARCH (§7.6): checks the request, then asks the store's index; newest first. */
export class Search {
	constructor(readonly store: ChatStore) {}

	async search(caller: string, request: SearchRequest): Promise<MessageRecord[]> {
		const { query = '' } = request;
		const length = [...query].length;
		if (length === 0) throw badRequest('SEARCH needs a Query header with at least one word');
		if (length > maxQueryLength) {
			throw badRequest(`a Query has at most ${maxQueryLength} characters, not ${length}`);
		}
		const terms = searchTerms(query);
		if (terms.length === 0) {
			throw badRequest('a Query needs at least one word (letters or digits)');
		}
		const limit =
			request.limit === undefined ? defaultSearchLimit : parsePositive(request.limit, 'Limit');
		const before =
			request.before === undefined ? undefined : parsePositive(request.before, 'Before');
		const conversation =
			request.target === undefined
				? undefined
				: (await conversationWith(this.store, caller, request.target)).key;
		return this.store.search(caller, {
			terms,
			limit: Math.min(limit, maxSearchLimit),
			...(before === undefined ? {} : { before }),
			...(conversation === undefined ? {} : { conversation }),
		});
	}
}
