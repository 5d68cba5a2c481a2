import type { Push, Response } from '../protocol/frame.js';
import { conversationNotification, type ConversationNotification } from './decode-conversations.js';
import { fail, isId, isString, jsonBody, list, type Json } from './decode-json.js';
import { ChatRequestError } from './errors.js';
import {
	groupEventKinds,
	roles,
	type ChatGroup,
	type ChatMessage,
	type HistoryPage,
	type ChatUser,
	type GroupEvent,
	type PresenceEvent,
	type Role,
	type UserEvent,
} from './types.js';

export { jsonBody };

const isRole = (value: unknown): value is Role => (roles as readonly unknown[]).includes(value);

function user(json: Json): ChatUser {
	const { name, displayName, online, role } = json;
	if (!isString(name) || !isString(displayName) || typeof online !== 'boolean') fail('user list');
	if (role !== undefined && !isRole(role)) fail('user list');
	return role === undefined ? { name, displayName, online } : { name, displayName, online, role };
}

export const decodeUsers = (response: Response): ChatUser[] =>
	list(jsonBody(response, 'user list'), 'details', 'user list').map(user);

export function decodeGroups(response: Response): ChatGroup[] {
	return list(jsonBody(response, 'group list'), 'groups', 'group list').map((json) => {
		const { name, owner, role, members } = json;
		if (!isString(name) || !isString(owner) || !isRole(role) || typeof members !== 'number') {
			fail('group list');
		}
		return { name, owner, role, members };
	});
}

/** A HISTORY or SEARCH item; replyTo, edited and deleted only when the server set them (§7.3, §7.4). */
export function message(json: Json): ChatMessage {
	const { id, from, to, group, body, date, replyTo, edited, deleted } = json;
	if (!isId(id) || !isString(from) || !isString(to) || !isString(body) || !isString(date)) {
		fail('message');
	}
	if (group !== null && !isString(group)) fail('message');
	if (replyTo !== undefined && replyTo !== null && !isId(replyTo)) fail('message');
	if (edited !== undefined && edited !== null && !isString(edited)) fail('message');
	if (deleted !== undefined && typeof deleted !== 'boolean') fail('message');
	return {
		id,
		from,
		to,
		group,
		body,
		date,
		...(isId(replyTo) ? { replyTo } : {}),
		...(isString(edited) ? { edited } : {}),
		...(deleted === true ? { deleted } : {}),
	};
}

/** A HISTORY page; `more` when the server cut it short by size and older messages remain. */
export function decodeHistory(response: Response): HistoryPage {
	const json = jsonBody(response, 'history');
	return { messages: list(json, 'messages', 'history').map(message), more: json.more === true };
}

export function decodeNames(response: Response, key: string): string[] {
	const names = jsonBody(response, `${key} list`)[key];
	if (!Array.isArray(names) || !names.every(isString)) fail(`${key} list`);
	return names;
}

/** `MSG <to>` with From, Message-Id, Date and, for a group, Group; Reply-To for a reply (§7.3). */
export function decodeMessagePush(push: Push): ChatMessage {
	const { headers } = push;
	const id = Number(headers.get('message-id'));
	const from = headers.get('from');
	const date = headers.get('date');
	if (!isId(id) || !from || !date) fail('message push');
	const group = headers.get('group') ?? null;
	const message = { id, from, to: push.target, group, body: push.body.toString('utf8'), date };
	if (!headers.has('reply-to')) return message;
	const replyTo = Number(headers.get('reply-to'));
	if (!isId(replyTo)) fail('message push');
	return { ...message, replyTo };
}

export type Notification =
	| { readonly kind: 'presence'; readonly event: PresenceEvent }
	| { readonly kind: 'user'; readonly event: UserEvent }
	| { readonly kind: 'group'; readonly event: GroupEvent }
	| ConversationNotification;

/** `NOTIFY <kind>`; undefined for a kind this client does not know (newer servers may add some). */
export function decodeNotification(push: Push): Notification | undefined {
	const json = jsonBody(push, `${push.target} notification`);
	switch (push.target) {
		case 'presence': {
			const { user, online } = json;
			if (!isString(user) || typeof online !== 'boolean') fail('presence notification');
			return { kind: 'presence', event: { user, online } };
		}
		case 'user': {
			const { user, displayName } = json;
			if (!isString(user)) fail('user notification');
			return {
				kind: 'user',
				event: { user, displayName: isString(displayName) ? displayName : user },
			};
		}
		case 'group':
			return { kind: 'group', event: groupEvent(json) };
		default:
			return conversationNotification(push.target, json);
	}
}

function groupEvent(json: Json): GroupEvent {
	const { group, event, user, by, role } = json;
	const known = (groupEventKinds as readonly unknown[]).includes(event);
	if (!isString(group) || !known || !isString(by)) fail('group notification');
	if ((user !== undefined && !isString(user)) || (role !== undefined && !isRole(role))) {
		fail('group notification');
	}
	return {
		group,
		event: event as GroupEvent['event'],
		by,
		...(user === undefined ? {} : { user }),
		...(role === undefined ? {} : { role }),
	};
}

/** A refusal (4xx, 5xx): the server's `{"error"}` text, and Retry-After for a 429. */
export function decodeRefusal(response: Response, request: string): ChatRequestError {
	let message = response.reason || `status ${response.status}`;
	try {
		const error = (JSON.parse(response.body.toString('utf8')) as { error?: unknown }).error;
		if (typeof error === 'string' && error !== '') message = error;
	} catch {
		// Not JSON: the reason phrase will do.
	}
	const retryAfter = Number(response.headers.get('retry-after'));
	const hasRetryAfter = response.headers.has('retry-after') && Number.isFinite(retryAfter);
	return new ChatRequestError(
		response.status,
		message,
		request,
		hasRetryAfter ? retryAfter : undefined,
	);
}
