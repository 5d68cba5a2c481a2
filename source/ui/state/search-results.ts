import type { ChatMessage } from '../../client/index.js';
import type { ChatState } from './chat-state.js';

/** The search overlay (Ctrl+F, /search): the words, where, and what the server found. */
export type SearchOverlay = {
	readonly kind: 'search';
	/** The words last searched for ('' before the first search). */
	readonly words: string;
	/** Only this conversation (a user or a group name); undefined: every conversation. */
	readonly in: string | undefined;
	readonly status: 'idle' | 'loading' | 'done' | 'failed';
	/** Newest first. */
	readonly results: readonly ChatMessage[];
	readonly error?: string;
	/** Counts searches, so that an answer to an older one is dropped. */
	readonly serial: number;
};

const searchOf = (state: ChatState): SearchOverlay | undefined =>
	state.overlay?.kind === 'search' ? state.overlay : undefined;

/** Opens the overlay (empty, or searching for `words` at once). */
export function searchOpened(
	state: ChatState,
	words: string,
	where: string | undefined,
): ChatState {
	const serial = (searchOf(state)?.serial ?? 0) + 1;
	return {
		...state,
		selection: undefined,
		overlay: {
			kind: 'search',
			words,
			in: where,
			status: words.trim() === '' ? 'idle' : 'loading',
			results: [],
			serial,
		},
	};
}

/** A new search in the open overlay. */
export function searchRequested(state: ChatState, words: string): ChatState {
	const search = searchOf(state);
	if (!search) return state;
	return {
		...state,
		overlay: { ...search, words, status: 'loading', error: undefined, serial: search.serial + 1 },
	};
}

/** The answer to search `serial` (dropped when another search started since, or it closed). */
export function searchAnswered(
	state: ChatState,
	serial: number,
	answer: { results: readonly ChatMessage[] } | { error: string },
): ChatState {
	const search = searchOf(state);
	if (!search || search.serial !== serial) return state;
	const overlay: SearchOverlay =
		'error' in answer
			? { ...search, status: 'failed', error: answer.error, results: [] }
			: { ...search, status: 'done', results: answer.results, error: undefined };
	return { ...state, overlay };
}
