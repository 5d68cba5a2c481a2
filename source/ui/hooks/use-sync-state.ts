import { useCallback, useReducer, useRef } from 'react';

/**
 * Component state that updates at once: keys that arrive together (`alice\tsecret\r` in one read)
 * are handled one after the other before React renders, so a handler must read the state as the
 * previous key left it, not as the last render saw it. `read()` gives exactly that.
 */
export function useSyncState<S>(initial: S | (() => S)) {
	const state = useRef<S | undefined>(undefined);
	if (state.current === undefined)
		state.current = typeof initial === 'function' ? (initial as () => S)() : initial;
	const [, rerender] = useReducer((count: number) => count + 1, 0);
	const update = useCallback((change: S | ((current: S) => S)) => {
		const next =
			typeof change === 'function' ? (change as (current: S) => S)(state.current as S) : change;
		if (Object.is(next, state.current)) return;
		state.current = next;
		rerender();
	}, []);
	const read = useCallback(() => state.current as S, []);
	return [state.current, update, read] as const;
}
