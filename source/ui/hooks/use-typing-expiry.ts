import { useEffect } from 'react';
import type { ChatDispatch } from '../state/chat-actions.js';

/** "is typing…" goes when it is due (`due`: the soonest indicator's end, ms since the epoch). */
export function useTypingExpiry(due: number | undefined, dispatch: ChatDispatch): void {
	useEffect(() => {
		if (due === undefined) return;
		const timer = setTimeout(
			() => dispatch({ type: 'typing-expired', now: Date.now() }),
			Math.max(0, due - Date.now()) + 5,
		);
		return () => clearTimeout(timer);
	}, [due, dispatch]);
}
