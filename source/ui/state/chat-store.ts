import type { ChatAction } from './chat-actions.js';
import { chatReducer } from './chat-reducer.js';
import type { ChatState } from './chat-state.js';

export type ChatStore = {
	readonly getState: () => ChatState;
	readonly dispatch: (action: ChatAction) => void;
	readonly subscribe: (listener: () => void) => () => void;
};

/**
 * The one owner of the UI state: the pure reducer behind a dispatch that applies at once, so an
 * action reading the state right after dispatching sees its effect (React's own state would not).
 */
export function createChatStore(initial: ChatState): ChatStore {
	let state = initial;
	const listeners = new Set<() => void>();
	return {
		getState: () => state,
		dispatch(action) {
			const next = chatReducer(state, action);
			if (next === state) return;
			state = next;
			for (const listener of listeners) listener();
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
	};
}
