import type { Response } from '../protocol/frame.js';
import {
	conversationFields,
	fail,
	isId,
	isString,
	jsonBody,
	list,
	type Json,
} from './decode-json.js';
import type {
	DeleteEvent,
	EditEvent,
	ReadEvent,
	TypingEvent,
	UnreadConversation,
} from './types.js';

/** The NOTIFY kinds of PROTOCOL.md §7: read markers, edits, deletes and typing. */
export type ConversationNotification =
	| { readonly kind: 'read'; readonly event: ReadEvent }
	| { readonly kind: 'edit'; readonly event: EditEvent }
	| { readonly kind: 'delete'; readonly event: DeleteEvent }
	| { readonly kind: 'typing'; readonly event: TypingEvent };

/** `NOTIFY read|edit|delete|typing`; undefined for any other kind. */
export function conversationNotification(
	kind: string,
	json: Json,
): ConversationNotification | undefined {
	switch (kind) {
		case 'read': {
			const { id } = json;
			if (!isId(id)) fail('read notification');
			return { kind, event: { ...conversationFields(json, 'read notification'), id } };
		}
		case 'edit': {
			const { id, from, body, edited } = json;
			if (!isId(id) || !isString(from) || !isString(body) || !isString(edited)) {
				fail('edit notification');
			}
			const where = conversationFields(json, 'edit notification');
			return { kind, event: { id, from, ...where, body, edited } };
		}
		case 'delete': {
			const { id, from, by } = json;
			if (!isId(id) || !isString(from) || !isString(by)) fail('delete notification');
			return { kind, event: { id, from, ...conversationFields(json, 'delete notification'), by } };
		}
		case 'typing': {
			const { user } = json;
			if (!isString(user)) fail('typing notification');
			return { kind, event: { user, ...conversationFields(json, 'typing notification') } };
		}
		default:
			return undefined;
	}
}

/** UNREAD's `{"conversations": [{to, group, lastRead, lastId, unread}…]}`, newest first. */
export function decodeUnread(response: Response): UnreadConversation[] {
	const json = jsonBody(response, 'unread list');
	return list(json, 'conversations', 'unread list').map((item) => {
		const { lastRead, lastId, unread } = item;
		const count = (value: unknown): value is number =>
			Number.isSafeInteger(value) && Number(value) >= 0;
		if (!count(lastRead) || !isId(lastId) || !count(unread)) fail('unread list');
		return { ...conversationFields(item, 'unread list'), lastRead, lastId, unread };
	});
}

/** EDIT's `{"id", "edited"}`. */
export function decodeEdited(response: Response): { id: number; edited: string } {
	const { id, edited } = jsonBody(response, 'edit answer');
	if (!isId(id) || !isString(edited)) fail('edit answer');
	return { id, edited };
}
