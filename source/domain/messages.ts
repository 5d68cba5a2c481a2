import { afterDurable } from './after-durable.js';
import type { MessageBus } from './bus.js';
import { conversationWith, isParty, type Conversation } from './conversations.js';
import { badRequest, notFound } from './errors.js';
import { parseSendId } from './send-ids.js';
import type { ChatStore } from './store.js';
import type { MessageRecord } from './types.js';

export { directConversation } from './conversations.js';

export const defaultHistoryLimit = 50;
// \s is exactly what trim() removes, and a test copies no body.
const hasText = /\S/;
export const maxHistoryLimit = 500;
/** A HISTORY page stops adding messages once its JSON passes this (it always holds one). */
export const maxHistoryPageBytes = 1024 * 1024;
// Rows read per store call at first; later reads are sized by what the bytes left can hold.
const firstHistoryRead = 4;
const maxHistoryRead = 200;

/** A page of a conversation, oldest first; `more` when the byte bound cut it before `Limit`. */
export type HistoryPage = { readonly messages: MessageRecord[]; readonly more: boolean };

export type MessagesOptions = {
	readonly store: ChatStore;
	readonly bus: MessageBus;
	readonly clock: () => number;
	/** Told of each new message stored (not of a repeated Send-Id): the metrics count them. */
	readonly stored?: () => void;
};

/** What a SEND may carry besides its text. */
export type SendOptions = {
	/** The Send-Id header (§7.8). */
	readonly sendId?: string;
	/** The Reply-To header (§7.3). */
	readonly replyTo?: string;
	/** The sending connection's id: the message is not pushed back to it (§7.1). */
	readonly origin?: string;
};

export class Messages {
	/** The last date written, reused while the clock stays within the same millisecond. */
	#lastDate = { at: Number.NaN, iso: '' };

	constructor(readonly options: MessagesOptions) {}

	/** Stores and queues the message; it is announced to recipients once durable. */
	async send(
		caller: string,
		rawTarget: string | undefined,
		body: string,
		options: SendOptions = {},
	): Promise<MessageRecord> {
		const { store, bus } = this.options;
		if (!hasText.test(body)) throw badRequest('a message needs some text in its body');
		const sendId = parseSendId(options.sendId);
		const replyToId =
			options.replyTo === undefined ? undefined : parsePositive(options.replyTo, 'Reply-To');
		const conversation = await conversationWith(store, caller, rawTarget);
		const replyTo =
			replyToId === undefined ? null : await this.#replyTarget(caller, conversation, replyToId);
		const { message, recipients, repeated } = await store.appendMessage(
			{
				from: caller,
				to: conversation.to,
				group: conversation.group,
				body,
				date: this.#now(),
				replyTo,
			},
			conversation.key,
			conversation.groupId,
			sendId,
		);
		if (!repeated) {
			this.options.stored?.();
			const { origin } = options;
			const event = { type: 'message', message, recipients, origin } as const;
			afterDurable(store, () => bus.publish(event));
		}
		return message;
	}

	/** §7.3: the replied-to message must be one of this conversation; 404 when the caller cannot see it. */
	async #replyTarget(caller: string, conversation: Conversation, id: number): Promise<number> {
		const { store } = this.options;
		const located = await store.findMessage(id);
		if (!located || !(await isParty(store, caller, located))) {
			throw notFound(`no message with id ${id} that you can see (Reply-To)`);
		}
		if (located.conversation !== conversation.key) {
			throw badRequest(`message ${id} is not of this conversation: Reply-To names one of it`);
		}
		return id;
	}

	async history(
		caller: string,
		rawTarget: string | undefined,
		before: string | undefined,
		limit: string | undefined,
	): Promise<HistoryPage> {
		const beforeId = before === undefined ? undefined : parsePositive(before, 'Before');
		const count = limit === undefined ? defaultHistoryLimit : parsePositive(limit, 'Limit');
		const conversation = await conversationWith(this.options.store, caller, rawTarget);
		return this.#page(conversation.key, beforeId, Math.min(count, maxHistoryLimit));
	}

	/**
	 * The newest `count` messages before `beforeId`, read newest first in small batches and cut
	 * once their JSON passes maxHistoryPageBytes: a page's cost is bounded before it is built.
	 */
	async #page(key: string, beforeId: number | undefined, count: number): Promise<HistoryPage> {
		const { store } = this.options;
		const newestFirst: MessageRecord[] = [];
		let bytes = 0;
		let oldest = beforeId;
		let read = Math.min(count, firstHistoryRead);
		for (;;) {
			const rows = await store.history(key, oldest, read);
			for (let index = rows.length - 1; index >= 0; index--) {
				const row = rows[index]!;
				newestFirst.push(row);
				// The item and the comma before it.
				bytes += Buffer.byteLength(JSON.stringify(row)) + 1;
				if (newestFirst.length === count) return { messages: newestFirst.reverse(), more: false };
				if (bytes >= maxHistoryPageBytes) {
					const more = index > 0 || (await store.history(key, row.id, 1)).length > 0;
					return { messages: newestFirst.reverse(), more };
				}
			}
			if (rows.length < read) return { messages: newestFirst.reverse(), more: false };
			oldest = rows[0]!.id;
			const average = bytes / newestFirst.length;
			const fits = Math.ceil((maxHistoryPageBytes - bytes) / average) + 1;
			read = Math.min(count - newestFirst.length, fits, maxHistoryRead);
		}
	}

	pending(user: string, afterId: number, limit: number): Promise<MessageRecord[]> {
		return this.options.store.pending(user, afterId, limit);
	}

	acknowledge(user: string, uptoId: number): Promise<void> {
		return this.options.store.acknowledge(user, uptoId);
	}

	#now(): string {
		const at = this.options.clock();
		if (at !== this.#lastDate.at) this.#lastDate = { at, iso: new Date(at).toISOString() };
		return this.#lastDate.iso;
	}
}

export function parsePositive(value: string, header: string): number {
	if (!/^\d{1,15}$/.test(value.trim()) || Number(value) < 1) {
		throw badRequest(`${header} must be a positive whole number, not "${value.slice(0, 30)}"`);
	}
	return Number(value);
}
