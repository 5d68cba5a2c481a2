import type { Response } from '../protocol/frame.js';
import type { OutgoingRequest } from './connection.js';
import { decodeEdited, decodeUnread } from './decode-conversations.js';
import { decodeHistory } from './decode.js';
import { isId, jsonBody } from './decode-json.js';
import { assertName } from './names.js';
import type { ChatMessage, SearchOptions, UnreadConversation } from './types.js';

/** Sends one request with the session and resolves with a 2xx answer (a refusal rejects). */
export type Call = (request: OutgoingRequest) => Promise<Response>;

/** The verbs of PROTOCOL.md §7 (read markers, edits, deletes, typing, search, password). */
export class ConversationRequests {
	constructor(readonly call: Call) {}

	/** READ: resolves with the new read position, `max(old, id)`. */
	async markRead(target: string, id: number): Promise<number> {
		assertName(target, 'user or group');
		assertMessageId(id);
		const headers: [string, string][] = [['Message-Id', String(id)]];
		const response = await this.call({ verb: 'READ', target, headers });
		// The position is in the body when the server says it; otherwise it is at least `id`.
		if (response.body.length === 0) return id;
		const position = jsonBody(response, 'read answer').id;
		return isId(position) ? position : id;
	}

	/** UNREAD: every conversation with a message, newest first, with its unread count. */
	async unread(): Promise<UnreadConversation[]> {
		return decodeUnread(await this.call({ verb: 'UNREAD' }));
	}

	/** EDIT: the new text replaces the old; resolves with when the server stored it. */
	async edit(id: number, text: string): Promise<{ id: number; edited: string }> {
		assertMessageId(id);
		return decodeEdited(await this.call({ verb: 'EDIT', target: String(id), body: text }));
	}

	/** DELETE: leaves a tombstone in history. */
	async deleteMessage(id: number): Promise<void> {
		assertMessageId(id);
		await this.call({ verb: 'DELETE', target: String(id) });
	}

	/** TYPING: tells the other parties of the conversation, nothing stored. */
	async typing(target: string): Promise<void> {
		assertName(target, 'user or group');
		await this.call({ verb: 'TYPING', target });
	}

	/** SEARCH: the messages with every word (`word*` for a prefix), newest first. */
	async search(
		words: string | readonly string[],
		options: SearchOptions = {},
	): Promise<ChatMessage[]> {
		// Line breaks cannot travel in a header; they separate words anyway, like spaces.
		const query = (typeof words === 'string' ? words : words.join(' ')).replace(/\s+/g, ' ').trim();
		if (query === '') throw new TypeError('nothing to search for: give at least one word');
		if (options.in !== undefined) assertName(options.in, 'user or group');
		const headers: [string, string][] = [['Query', query]];
		if (options.limit !== undefined) headers.push(['Limit', String(options.limit)]);
		if (options.before !== undefined) headers.push(['Before', String(options.before)]);
		const response = await this.call({ verb: 'SEARCH', target: options.in, headers });
		return decodeHistory(response).messages;
	}

	/** PASSWD: every other session of the user ends; this one stays. */
	async changePassword(current: string, next: string): Promise<void> {
		const headers: [string, string][] = [
			['Password', current],
			['New-Password', next],
		];
		await this.call({ verb: 'PASSWD', headers });
	}
}

/** A TypeError for an id no server hands out, before anything is sent. */
export function assertMessageId(id: number): void {
	if (!isId(id)) throw new TypeError(`invalid message id ${id}`);
}
