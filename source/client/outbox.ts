import { EventEmitter } from 'node:events';
import type { ChatClient } from './chat-client.js';
import { ChatNetworkError, ChatRequestError } from './errors.js';
import { newSendId } from './send-id.js';

/** A message waiting to be stored by the server; its `sendId` stays the same across retries. */
export type OutboxEntry = {
	readonly sendId: string;
	readonly target: string;
	readonly body: string;
	/** The message it answers (§7.3), if any. */
	readonly replyTo?: number;
};

export type OutboxEvents = {
	/** The server stored it (once, whatever the retries): `id` is its Message-Id. */
	sent: [entry: OutboxEntry, id: number];
	/** The server refused it (403, 404, 413…): it will not be retried. */
	failed: [entry: OutboxEntry, error: unknown];
};

export type OutboxOptions = {
	/** A retry after an answer that was lost while the connection stayed up (default 2 s). */
	readonly retryMs?: number;
	readonly newId?: () => string;
};

/**
 * Messages typed while offline (or whose answer was lost) wait here, in order, and are sent when
 * the client is online, one at a time. Each carries a Send-Id (PROTOCOL.md §7.8), so a retry
 * after a connection dropped with the SEND in flight stores nothing new: exactly once.
 */
export class Outbox extends EventEmitter<OutboxEvents> {
	readonly #client: ChatClient;
	readonly #retryMs: number;
	readonly #newId: () => string;
	#queue: OutboxEntry[] = [];
	#running: Promise<void> | undefined;
	#retryTimer: NodeJS.Timeout | undefined;
	#closed = false;
	#again = false;
	readonly #onOnline = () => void this.flush();

	constructor(client: ChatClient, options: OutboxOptions = {}) {
		super();
		this.#client = client;
		this.#retryMs = options.retryMs ?? 2000;
		this.#newId = options.newId ?? newSendId;
		client.on('online', this.#onOnline);
	}

	/** What still waits, oldest first. */
	get pending(): readonly OutboxEntry[] {
		return this.#queue;
	}

	/** Queues a message and starts sending; resolves the entry at once (listen for `sent`). */
	enqueue(target: string, body: string, options: { readonly replyTo?: number } = {}): OutboxEntry {
		const { replyTo } = options;
		const entry = {
			sendId: this.#newId(),
			target,
			body,
			...(replyTo === undefined ? {} : { replyTo }),
		};
		this.#queue.push(entry);
		void this.flush();
		return entry;
	}

	/** Sends what waits, while online; resolves when the queue is empty or the link is down. */
	flush(): Promise<void> {
		if (this.#running) {
			// Asked again while draining (the link came back meanwhile): drain once more after.
			this.#again = true;
			return this.#running;
		}
		this.#running = (async () => {
			do {
				this.#again = false;
				await this.#drain();
			} while (this.#again);
		})().finally(() => {
			this.#running = undefined;
		});
		return this.#running;
	}

	/** Stops retrying (what waits stays in `pending`). */
	close(): void {
		this.#closed = true;
		clearTimeout(this.#retryTimer);
		this.#client.off('online', this.#onOnline);
	}

	async #drain(): Promise<void> {
		while (!this.#closed && this.#queue.length > 0 && this.#client.state === 'online') {
			const entry = this.#queue[0]!;
			let id: number;
			try {
				const { sendId, replyTo } = entry;
				id = await this.#client.send(entry.target, entry.body, { sendId, replyTo });
			} catch (error) {
				if (this.#retryable(error)) return;
				this.#remove(entry);
				this.emit('failed', entry, error);
				continue;
			}
			this.#remove(entry);
			this.emit('sent', entry, id);
		}
	}

	/** A lost answer or a busy server: keep the entry, and try again (same Send-Id) later. */
	#retryable(error: unknown): boolean {
		const busy = error instanceof ChatRequestError && error.status === 429;
		if (!busy && !(error instanceof ChatNetworkError)) return false;
		// After a drop, `online` starts the next try; a timeout or a 429 on a live link needs a timer.
		if (busy || this.#client.state === 'online') {
			const wait = busy && error.retryAfter ? error.retryAfter * 1000 : this.#retryMs;
			clearTimeout(this.#retryTimer);
			this.#retryTimer = setTimeout(() => void this.flush(), wait);
		}
		return true;
	}

	#remove(entry: OutboxEntry): void {
		this.#queue = this.#queue.filter((waiting) => waiting !== entry);
	}
}
