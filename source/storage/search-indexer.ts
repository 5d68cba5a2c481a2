import { StorageClosedError, StorageFailedError } from '../domain/storage-errors.js';
import type { JournaledDatabase } from './journaled-database.js';
import { positiveInteger } from './positive-integer.js';
import { lastMessageId } from './sql-message-rows.js';
import { reasonOf } from '../domain/error-reason.js';

/** How new messages reach the search index; every field has a default. */
export type SearchIndexerOptions = {
	/** Messages one batch indexes at most: ~15 µs each in sql.js, so 500 hold the loop ~8 ms. */
	readonly batchSize?: number;
	/** How long a new message waits before its batch starts: a burst is indexed in few batches. */
	readonly delayMs?: number;
	/**
	 * Above this many unindexed messages batches follow each other as fast as the traffic lets
	 * them; below it they take at most a quarter of the time, so delivery goes first.
	 */
	readonly backlogLimit?: number;
	/** Told how many messages each batch indexed (the merger counts them). */
	readonly onIndexed?: (messages: number) => void;
	/** False: nothing is indexed but by catchUp() and indexNext() (tests). Default true. */
	readonly automatic?: boolean;
};

const defaults = { batchSize: 500, delayMs: 25, backlogLimit: 20_000 } as const;
// Of the time a batch took, this much again passes before the next one while under the limit.
const pauseFactor = 3;

// ?1 indexed through, ?2 this batch's last id. One statement, so the journal holds it as one small
// entry and replays it against the same rows. No id above `through` is in the index yet.
const indexRange = `
	INSERT INTO message_words (docid, words)
	SELECT id, search_document(conversation, sender, recipient, group_name, body)
	FROM messages WHERE id > ?1 AND id <= ?2 AND deleted = 0`;

/**
 * Indexes messages for search behind the appends, in batches, instead of inside each append: an
 * FTS4 insert costs more than the rest of a direct message's storage together, and a batch of
 * hundreds writes one index segment instead of one per event-loop turn (fewer merges later).
 *
 * search_indexed.through says every message with an id up to it is indexed; it moves in the same
 * journaled write as each batch, so a crash resumes where the last batch committed. Edits and
 * deletes of a message not indexed yet change no index row: its batch reads the message as it is
 * then. A search calls catchUp() first, so it never misses a message stored before it.
 */
export class SearchIndexer {
	readonly #batchSize: number;
	readonly #delayMs: number;
	readonly #backlogLimit: number;
	readonly #onIndexed: (messages: number) => void;
	#through: number;
	#newest: number;
	#timer: NodeJS.Timeout | undefined;
	#stopped = false;
	readonly #automatic: boolean;
	#failure: Error | undefined;

	constructor(
		private readonly db: JournaledDatabase,
		options: SearchIndexerOptions = {},
	) {
		this.#batchSize = positiveInteger(options.batchSize ?? defaults.batchSize, 'batchSize');
		this.#delayMs = options.delayMs ?? defaults.delayMs;
		this.#backlogLimit = options.backlogLimit ?? defaults.backlogLimit;
		this.#onIndexed = options.onIndexed ?? (() => undefined);
		this.#through = db.get<{ through: number }>('SELECT through FROM search_indexed')?.through ?? 0;
		this.#newest = lastMessageId(this.db);
		this.#automatic = options.automatic ?? true;
		this.start();
	}

	/** Every message with an id up to this one is in the index (or deleted); none above it is. */
	get indexedThrough(): number {
		return this.#through;
	}

	/** Messages stored but not indexed yet. */
	get backlog(): number {
		return Math.max(0, this.#newest - this.#through);
	}

	/** A message was stored with this id: it is indexed with the next batch. */
	noteAppended(id: number): void {
		if (id > this.#newest) this.#newest = id;
		this.start();
	}

	/** Schedules the next batch if anything waits; a no-op while one is scheduled or once stopped. */
	start(): void {
		if (!this.#automatic || this.#timer || this.#stopped || this.backlog === 0) return;
		this.#schedule(this.#delayMs);
	}

	/**
	 * Indexes every message stored before the call. A short backlog is indexed at once; a long one
	 * a batch per event-loop turn, so other requests go on meanwhile.
	 */
	async catchUp(): Promise<void> {
		// Read, not remembered: a write that bypassed appendMessage (a migration, a fixture) counts.
		const target = (this.#newest = Math.max(this.#newest, lastMessageId(this.db)));
		let batches = 0;
		while (this.#through < target) {
			if (this.#failure) throw this.#failure;
			if (++batches > 4) await new Promise((resolve) => setImmediate(resolve));
			this.indexNext(target);
		}
	}

	/** Indexes the next batch, up to `target` at most, now; returns how many ids it covered. */
	indexNext(target = this.#newest): number {
		const from = this.#through;
		const to = Math.min(from + this.#batchSize, target);
		if (to <= from) return 0;
		try {
			this.db.write((tx) => {
				tx.run(indexRange, [from, to]);
				tx.run('UPDATE search_indexed SET through = ?', [to]);
			});
		} catch (error) {
			this.#failure = error instanceof Error ? error : new Error(String(error));
			throw this.#failure;
		}
		this.#through = to;
		this.#onIndexed(to - from);
		return to - from;
	}

	/** Cancels the next batch for good (the store is closing); what is left waits for the next open. */
	stop(): void {
		this.#stopped = true;
		if (this.#timer) clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#schedule(delayMs: number): void {
		this.#timer = setTimeout(() => this.#turn(), delayMs);
		// Never what keeps a process alive.
		this.#timer.unref();
	}

	#turn(): void {
		this.#timer = undefined;
		if (this.#stopped) return;
		const started = performance.now();
		try {
			this.indexNext();
		} catch (error) {
			this.#stopped = true;
			if (!(error instanceof StorageClosedError || error instanceof StorageFailedError)) {
				// Searches will report it (catchUp rethrows); messages are still stored and delivered.
				const reason = reasonOf(error);
				process.emitWarning(`KoriChat storage: search indexing stopped (${reason})`);
			}
			return;
		}
		if (this.backlog === 0) return;
		const took = performance.now() - started;
		this.#schedule(
			this.backlog > this.#backlogLimit ? 0 : Math.max(this.#delayMs, pauseFactor * took),
		);
	}
}
