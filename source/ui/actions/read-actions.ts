import { parseConversationId, type ConversationId } from '../state/chat-state.js';
import { lastMessageId } from '../state/timeline.js';
import type { ActionContext } from './action-context.js';

/** Read positions asked for and not yet answered, per client: each is sent once. */
const asked = new WeakMap<object, Map<ConversationId, number>>();

/**
 * Tells the server the conversation is read up to its newest loaded message (READ, §7.2), so
 * the unread counts of your other devices clear too. Quiet on failure: it is tried again with
 * the next message or opening, and nothing typed is at stake.
 */
export async function markConversationRead(
	context: ActionContext,
	id: ConversationId,
): Promise<void> {
	const conversation = context.getState().conversations[id];
	if (!conversation) return;
	const newest = lastMessageId(conversation.messages);
	const pending = asked.get(context.client) ?? new Map<ConversationId, number>();
	asked.set(context.client, pending);
	const known = Math.max(conversation.lastRead ?? 0, pending.get(id) ?? 0);
	if (newest <= known || context.client.state !== 'online') return;
	const { kind, name } = parseConversationId(id);
	pending.set(id, newest);
	try {
		const position = await context.client.markRead(name, newest);
		context.dispatch({
			type: 'read-moved',
			event: { to: name, group: kind === 'group' ? name : null, id: position },
		});
	} catch {
		// Left for the next message or opening to try again.
	} finally {
		if (pending.get(id) === newest) pending.delete(id);
	}
}
