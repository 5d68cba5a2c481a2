import type { ChatMessage } from '../../client/index.js';
import type { Compose } from '../state/message-selection.js';
import { report, inform, type ActionContext } from './action-context.js';

/** Enter while editing: saves the new text (EDIT, §7.4); on failure the edit stays open. */
export async function saveEdit(
	context: ActionContext,
	compose: Extract<Compose, { mode: 'edit' }>,
	text: string,
): Promise<void> {
	if (text.trim() === '') {
		report(context, new Error('An edit cannot be blank: Esc cancels (d in selection deletes)'));
		return;
	}
	const message = context
		.getState()
		.conversations[compose.conversation]?.messages.find((item) => item.id === compose.id);
	try {
		const { edited } = await context.client.edit(compose.id, text);
		if (message) {
			const { id, from, to, group } = message;
			context.dispatch({
				type: 'message-edited',
				event: { id, from, to, group, body: text, edited },
			});
		}
		context.dispatch({ type: 'compose-ended' });
	} catch (error) {
		report(context, error, 'Not saved (still editing: Esc cancels)');
	}
}

/** Deletes a message (DELETE, §7.4); resolves with the error shown, if any (for the dialog). */
export async function deleteMessage(
	context: ActionContext,
	message: ChatMessage,
): Promise<string | undefined> {
	try {
		await context.client.deleteMessage(message.id);
		const { id, from, to, group } = message;
		context.dispatch({ type: 'message-deleted', event: { id, from, to, group } });
		inform(context, 'Message deleted');
		return undefined;
	} catch (error) {
		return report(context, error, 'Could not delete the message');
	}
}
