import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { JournaledDatabase } from './journaled-database.js';
import type { IndexChange, IndexedMessage } from './search-index-core.js';
import type { SearchIndexBackend } from './search-index-backend.js';
import type { IndexStats } from './search-index-service.js';
import { positiveInteger } from './positive-integer.js';

/** How the chat store feeds its search index; every field has a default. */
export type SearchIndexHostOptions = {
	/** Messages read from the database per batch while the index catches up. */
	readonly batchSize?: number;
	/**
	 * Entries sent but not yet applied above which new messages are no longer sent as they come
	 * but read back from the database once the index has caught up (its queue stays bounded).
	 */
	readonly maxUnapplied?: number;
};

const defaults = { batchSize: 500, maxUnapplied: 50_000 } as const;

/** The index's file in the data folder, valid only with the token the database holds. */
export const searchIndexFile = 'search-index.db';

type FeedRow = {
	id: number;
	conversation: string;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: string | Uint8Array;
	deleted: number;
};

const feedColumns = 'id, conversation, sender, recipient, group_name, body, deleted';
const feedQuery = `SELECT ${feedColumns} FROM messages WHERE id > ? ORDER BY id LIMIT ?`;
const sentQuery = `SELECT ${feedColumns} FROM messages WHERE id <= ? AND deleted = 0`;

const toIndexed = (row: FeedRow): IndexedMessage => ({
	id: row.id,
	conversation: row.conversation,
	sender: row.sender,
	recipient: row.recipient,
	group: row.group_name,
	body: typeof row.body === 'string' ? row.body : Buffer.from(row.body).toString('utf8'),
});

/**
 * The chat store's side of the search index (search-index-core.ts), which runs on another thread:
 * tells it of every stored, edited and deleted message, in order, one batch per turn, and asks it
 * for a search's candidates.
 *
 * The index is a cache of the messages table, never journaled. Closing saves it with a fresh
 * token, which the database then keeps (a journaled write, the last); opening loads it only when
 * its token is the one the database holds, and clears that at once. After a crash the tokens
 * differ and the index is rebuilt from the messages, in the background and before any search.
 *
 * `sentThrough` is the newest id whose message the index has been sent (or skipped, deleted).
 * While it lags the database (after open, or when the index falls behind the traffic), new
 * messages are read back from the database in batches instead of sent as they come; an edit or
 * delete of a message not sent yet is not sent either, as its batch reads it as it is then.
 */
export class SearchIndexHost {
	readonly #batchSize: number;
	readonly #maxUnapplied: number;
	#sentThrough = 0;
	#live = false;
	#pending: IndexChange[] = [];
	#flush: NodeJS.Immediate | undefined;
	#unapplied = 0;
	#catchingUp: Promise<void> | undefined;
	#failure: Error | undefined;
	#closed = false;

	private constructor(
		private readonly db: JournaledDatabase,
		private readonly backend: SearchIndexBackend,
		options: SearchIndexHostOptions,
	) {
		this.#batchSize = positiveInteger(options.batchSize ?? defaults.batchSize, 'batchSize');
		this.#maxUnapplied = positiveInteger(
			options.maxUnapplied ?? defaults.maxUnapplied,
			'maxUnapplied',
		);
	}

	/** Opens the index of the database in `db.dir` (loaded if it is the one saved last, else empty). */
	static async open(
		db: JournaledDatabase,
		backend: SearchIndexBackend,
		options: SearchIndexHostOptions = {},
	): Promise<SearchIndexHost> {
		const host = new SearchIndexHost(db, backend, options);
		const token = db.get<{ token: string }>('SELECT token FROM search_index_state')?.token ?? null;
		host.#sentThrough = (await backend.request({
			kind: 'open',
			path: join(db.dir, searchIndexFile),
			token,
		})) as number;
		// From now on the file is stale: a crash must not find a token that matches it.
		if (token !== null) db.write((tx) => tx.run('DELETE FROM search_index_state'));
		host.#startCatchingUp();
		return host;
	}

	/** The newest message id sent to the index (every one up to it has been). */
	get sentThrough(): number {
		return this.#sentThrough;
	}

	/** A message was stored. */
	added(message: IndexedMessage): void {
		if (!this.#live) return;
		this.#sentThrough = message.id;
		this.#queue({ kind: 'add', messages: [message], through: message.id });
	}

	/** A message's text changed from `before`'s to `after`'s. */
	edited(before: IndexedMessage, after: IndexedMessage): void {
		if (before.id > this.#sentThrough) return;
		this.#queue({ kind: 'remove', messages: [before] });
		this.#queue({ kind: 'add', messages: [after], through: 0 });
	}

	/** Messages were deleted (one, or a whole group's); each given as it was before. */
	deleted(messages: readonly IndexedMessage[]): void {
		const sent = messages.filter((message) => message.id <= this.#sentThrough);
		if (sent.length > 0) this.#queue({ kind: 'remove', messages: sent });
	}

	/**
	 * Ids of messages below `before` that match any of the expressions, newest first, `limit` at
	 * most; every message stored before the call is considered.
	 */
	async candidates(
		expressions: readonly string[],
		before: number,
		limit: number,
	): Promise<number[]> {
		if (this.#failure) throw this.#failure;
		await this.#catchingUp;
		this.#sendPending();
		return (await this.backend.request({ kind: 'search', expressions, before, limit })) as number[];
	}

	/**
	 * Sends every message stored above sentThrough, for writes made behind the store's back (bench
	 * fixtures that insert rows straight into the database); resolves once they are applied.
	 */
	async catchUp(): Promise<void> {
		this.#live = false;
		this.#startCatchingUp();
		await this.applied();
	}

	/** Resolves once every change made so far is applied to the index (tests, bench). */
	async applied(): Promise<void> {
		await this.#catchingUp;
		this.#sendPending();
		await this.backend.request({ kind: 'sync' });
	}

	/** Resolves once the index has every message and is merged fully (tests, bench). */
	async settled(): Promise<void> {
		await this.#catchingUp;
		this.#sendPending();
		await this.backend.request({ kind: 'merged' });
	}

	/** Throws unless the index holds exactly the live messages as they are now (tests). */
	async verify(): Promise<void> {
		await this.applied();
		const rows = this.db.all<FeedRow>(sentQuery, [this.#sentThrough]);
		await this.backend.request({ kind: 'verify', messages: rows.map(toIndexed) });
	}

	/** What the index holds, once every change made so far is applied (tests, bench). */
	async stats(): Promise<IndexStats> {
		await this.applied();
		return (await this.backend.request({ kind: 'stats' })) as IndexStats;
	}

	/**
	 * Saves the index and records its token in the database, so the next open loads it instead of
	 * rebuilding; then ends the index. Call before the database closes, with no writes after.
	 * A failed save only means a rebuild at the next open.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		try {
			await this.#catchingUp;
			this.#sendPending();
			if (!this.#failure) {
				const token = randomUUID();
				await this.backend.request({
					kind: 'save',
					path: join(this.db.dir, searchIndexFile),
					token,
				});
				this.db.write((tx) => tx.run('INSERT INTO search_index_state (token) VALUES (?)', [token]));
			}
		} catch {
			// Rebuilt at the next open.
		} finally {
			await this.backend.close();
		}
	}

	#queue(change: IndexChange): void {
		if (this.#closed || this.#failure) return;
		this.#pending.push(change);
		this.#flush ??= setImmediate(() => this.#sendPending());
	}

	#sendPending(): void {
		if (this.#flush) clearImmediate(this.#flush);
		this.#flush = undefined;
		if (this.#pending.length === 0) return;
		const changes = this.#pending;
		this.#pending = [];
		void this.#apply(changes).catch(() => undefined);
		if (this.#live && this.#unapplied > this.#maxUnapplied) {
			// The index is behind the traffic: read new messages back later instead of queueing them.
			this.#live = false;
			this.#startCatchingUp();
		}
	}

	async #apply(changes: IndexChange[]): Promise<void> {
		const entries = changes.reduce((sum, change) => sum + change.messages.length, 0);
		this.#unapplied += entries;
		try {
			await this.backend.request({ kind: 'apply', changes });
		} catch (error) {
			if (!this.#closed) this.#fail(error);
			throw error;
		} finally {
			this.#unapplied -= entries;
		}
	}

	#startCatchingUp(): void {
		this.#catchingUp ??= this.#catchUp().finally(() => {
			this.#catchingUp = undefined;
		});
		this.#catchingUp.catch(() => undefined);
	}

	/**
	 * Sends the messages above sentThrough batch by batch, each applied before the next is read,
	 * and goes live in the same turn as the read that finds the last of them.
	 */
	async #catchUp(): Promise<void> {
		while (this.#unapplied > this.#maxUnapplied / 2) {
			await this.backend.request({ kind: 'sync' });
		}
		for (;;) {
			if (this.#closed || this.#failure) return;
			const rows = this.db.all<FeedRow>(feedQuery, [this.#sentThrough, this.#batchSize]);
			const last = rows.length < this.#batchSize;
			if (rows.length > 0) {
				const through = rows[rows.length - 1]!.id;
				const messages = rows.filter((row) => row.deleted === 0).map(toIndexed);
				this.#sentThrough = through;
				this.#pending.push({ kind: 'add', messages, through });
			}
			// From here every new message is sent as it comes.
			if (last) this.#live = true;
			const changes = this.#pending;
			this.#pending = [];
			if (changes.length > 0) await this.#apply(changes);
			if (last) return;
		}
	}

	#fail(error: unknown): void {
		if (this.#failure) return;
		this.#failure = error instanceof Error ? error : new Error(String(error));
		process.emitWarning(`KoriChat storage: search indexing stopped (${this.#failure.message})`);
	}
}
