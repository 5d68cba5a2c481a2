import { useEffect } from 'react';
import { terminalTitle, totalUnread } from '../state/activity.js';
import { useChatState } from './use-chat.js';

/** Keeps the terminal's title on the unread count: `(3) KoriChat — adrian`. */
export function useTerminalTitle(setTitle: ((title: string) => void) | undefined): void {
	const me = useChatState((state) => state.me);
	const unread = useChatState(totalUnread);
	useEffect(() => {
		setTitle?.(terminalTitle(me, unread));
	}, [setTitle, me, unread]);
}

/**
 * OSC 2 (the window title) with text we wrote, never text from the network; anything but
 * printable characters is dropped all the same, so nothing can end the sequence early.
 */
export function titleSequence(title: string): string {
	// eslint-disable-next-line no-control-regex -- control characters are what this removes
	return `\u001b]2;${title.replace(/[\u0000-\u001f\u007f-\u009f]/g, '')}\u0007`;
}
