import { useEffect } from 'react';
import type { ChatDispatch } from '../state/chat-actions.js';
import type { Notice } from '../state/chat-state.js';

/** Notices fade after a while: errors stay longer than news. */
export function useNoticeExpiry(notice: Notice | undefined, dispatch: ChatDispatch): void {
	useEffect(() => {
		if (!notice) return;
		const timer = setTimeout(
			() => dispatch({ type: 'notice-cleared', serial: notice.serial }),
			notice.kind === 'error' ? 15_000 : 6_000,
		);
		return () => clearTimeout(timer);
	}, [notice, dispatch]);
}
