import type { ChatStore } from './store.js';

/**
 * Runs `announce` once the writes made so far are on disk, so nobody hears of a change that a
 * crash could still undo. If the store fails, nothing is announced (the request fails too).
 */
export function afterDurable(store: ChatStore, announce: () => void): void {
	store.whenDurable().then(announce, () => undefined);
}
