import { expect } from 'vitest';
import type { RawClient, RawPush } from '../helpers/raw-client.js';

/** The status and whether an error text came with it: one readable assertion for a refusal. */
export async function refusal(pending: Promise<{ status: number; json: any }>) {
	const response = await pending;
	return { status: response.status, hasError: typeof response.json?.error === 'string' };
}

/** What `refusal` gives for a refusal with this status and its JSON `{"error"}` body (§2). */
export const refused = (status: number) => ({ status, hasError: true });

/** The HISTORY item with this id, as `viewer` sees it in `conversation`. */
export async function historyItem(viewer: RawClient, conversation: string, id: number) {
	const response = await viewer.request('HISTORY', conversation);
	expect(response.status).toBe(200);
	return response.json.messages.find((item: any) => item.id === id);
}

/** A MSG push of the message with this id. */
export const isMessageId = (id: number) => (push: RawPush) =>
	push.kind === 'MSG' && push.headers.get('message-id') === String(id);
