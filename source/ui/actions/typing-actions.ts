import { currentDraft, parseConversationId } from '../state/chat-state.js';
import { typingIntervalMs } from '../state/typing-indicator.js';
import type { ActionContext } from './action-context.js';

/** When each client last said it was typing, and where. */
const lastSent = new WeakMap<object, { target: string; at: number }>();

/**
 * The user typed into the input: tells the open conversation (TYPING, §7.5), at most once every
 * 3 s per conversation; never for a /command, and not while offline (nothing would wait for it).
 */
export function noteTyping(context: ActionContext, now = Date.now()): void {
	const state = context.getState();
	if (!state.open || state.conversations[state.open]?.ended) return;
	if (currentDraft(state).text.startsWith('/') || context.client.state !== 'online') return;
	const { name } = parseConversationId(state.open);
	const last = lastSent.get(context.client);
	if (last && last.target === name && now - last.at < typingIntervalMs) return;
	lastSent.set(context.client, { target: name, at: now });
	context.client.typing(name).catch(() => undefined);
}
