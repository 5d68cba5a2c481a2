import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../../client/index.js';
import { conversationOf, type ConversationId } from '../state/chat-state.js';
import { describeError, report, type ActionContext } from './action-context.js';
import { loadOlder, openConversation } from './conversation-actions.js';

/** Results asked for per search (the server gives at most 100). */
export const searchLimit = 50;

/** How many history pages a jump may load to reach an old message. */
const maxJumpPages = 50;

/** Runs the search the overlay holds (SEARCH, §7.6); a newer search drops this one's answer. */
export async function runSearch(context: ActionContext): Promise<void> {
	const overlay = context.getState().overlay;
	if (overlay?.kind !== 'search' || overlay.status !== 'loading') return;
	const { serial } = overlay;
	try {
		const results = await context.client.search(overlay.words, {
			in: overlay.in,
			limit: searchLimit,
		});
		context.dispatch({ type: 'search-loaded', serial, results });
	} catch (error) {
		context.dispatch({ type: 'search-failed', serial, error: describeError(error) });
	}
}

/** Ctrl+F or /search: opens the overlay, searching at once when words are given. */
export async function openSearch(
	context: ActionContext,
	words: string,
	where: string | undefined,
): Promise<void> {
	context.dispatch({ type: 'search-opened', words, in: where });
	await runSearch(context);
}

/** A new search typed in the overlay. */
export async function searchAgain(context: ActionContext, words: string): Promise<void> {
	context.dispatch({ type: 'search-requested', words });
	await runSearch(context);
}

const loaded = (context: ActionContext, id: ConversationId, messageId: number) =>
	context.getState().conversations[id]?.messages.some((item) => item.id === messageId) ?? false;

/**
 * Enter on a result: opens its conversation, loads history back to the message (pages of
 * HISTORY Before, so nothing between it and the newest is missing, and some context above it),
 * then selects it, in view.
 */
export async function jumpToMessage(context: ActionContext, message: ChatMessage): Promise<void> {
	const id = conversationOf(message, context.getState().me);
	context.dispatch({ type: 'overlay-closed' });
	await openConversation(context, id);
	for (let page = 0; page < maxJumpPages && !loaded(context, id, message.id); page += 1) {
		const history = context.getState().conversations[id]?.history;
		if (history === 'complete') break;
		if (history === 'loading') await sleep(20);
		else await loadOlder(context, id);
		if (context.getState().conversations[id]?.history === 'failed') return;
	}
	if (!loaded(context, id, message.id)) {
		report(context, new Error('That message could not be loaded (deleted, or too far back)'));
		return;
	}
	context.dispatch({ type: 'message-selected', id, messageId: message.id });
}
