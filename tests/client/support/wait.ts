import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatClient, ChatClientEvents } from '../../../source/client/chat-client.js';

export { sleep };

/** Resolves with the arguments of the next `event` (rejects after `timeoutMs`). */
export function nextEvent<K extends keyof ChatClientEvents>(
	client: ChatClient,
	event: K,
	timeoutMs = 5000,
): Promise<ChatClientEvents[K]> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			client.off(event, listener as never);
			reject(new Error(`no "${String(event)}" event within ${timeoutMs} ms`));
		}, timeoutMs);
		const listener = (...args: ChatClientEvents[K]) => {
			clearTimeout(timer);
			resolve(args);
		};
		client.once(event, listener as never);
	});
}

/** Polls until `check` returns true (rejects after `timeoutMs`, naming `what`). */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000) {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}
