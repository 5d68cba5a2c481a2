import type { ChatClient, Outbox } from '../../client/index.js';
import type { ViewStore } from '../storage/view-store.js';
import type { ChatDispatch, ChatStateGetter } from '../state/chat-actions.js';
import { describeError } from '../text/error-words.js';

/** What the UI's actions work with: the client (the only way to the server) and the state. */
export type ActionContext = {
	readonly client: ChatClient;
	/** Messages on their way to the server (they wait there while offline). */
	readonly outbox: Outbox;
	/** What outlives a restart (none: nothing is kept). */
	readonly views?: ViewStore;
	readonly dispatch: ChatDispatch;
	readonly getState: ChatStateGetter;
	/** Leaves the UI (the caller restores the terminal). */
	readonly quit: () => void;
};

export { describeError };

/** Shows a failure on the status line and returns its text (dialogs show it too). */
export function report(context: ActionContext, error: unknown, doing?: string): string {
	const text = doing ? `${doing}: ${describeError(error)}` : describeError(error);
	context.dispatch({ type: 'notice-shown', kind: 'error', text, date: new Date().toISOString() });
	return text;
}

export function inform(context: ActionContext, text: string): void {
	context.dispatch({ type: 'notice-shown', kind: 'info', text });
}
