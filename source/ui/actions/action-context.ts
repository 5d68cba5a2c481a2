import {
	ChatNetworkError,
	ChatRequestError,
	type ChatClient,
	type Outbox,
} from '../../client/index.js';
import type { ChatDispatch, ChatStateGetter } from '../state/chat-actions.js';
import { safeLine } from '../text/safe-text.js';

/** What the UI's actions work with: the client (the only way to the server) and the state. */
export type ActionContext = {
	readonly client: ChatClient;
	/** Messages on their way to the server (they wait there while offline). */
	readonly outbox: Outbox;
	readonly dispatch: ChatDispatch;
	readonly getState: ChatStateGetter;
	/** Leaves the UI (the caller restores the terminal). */
	readonly quit: () => void;
};

const statusWords: Record<number, string> = {
	400: 'Refused',
	401: 'Not logged in',
	403: 'Not allowed',
	404: 'Not found',
	409: 'Conflict',
	413: 'Too long',
	429: 'Too many requests',
};

/** A failure in words a person can act on; the server's own words are kept, made safe to print. */
export function describeError(error: unknown): string {
	if (error instanceof ChatRequestError) {
		const words = statusWords[error.status] ?? 'Server error';
		const retry = error.retryAfter ? ` (retry in ${error.retryAfter} s)` : '';
		return `${words} (${error.status}): ${safeLine(error.message)}${retry}`;
	}
	if (error instanceof ChatNetworkError) return `Connection problem: ${safeLine(error.message)}`;
	if (error instanceof Error) return safeLine(error.message);
	return safeLine(String(error));
}

/** Shows a failure on the status line and returns its text (dialogs show it too). */
export function report(context: ActionContext, error: unknown, doing?: string): string {
	const text = doing ? `${doing}: ${describeError(error)}` : describeError(error);
	context.dispatch({ type: 'notice-shown', kind: 'error', text });
	return text;
}

export function inform(context: ActionContext, text: string): void {
	context.dispatch({ type: 'notice-shown', kind: 'info', text });
}
