import { join } from 'node:path';
import type { JournaledDatabase } from './journaled-database.js';
import type { IndexChange, IndexedMessage } from './search-index-core.js';
import type { SearchIndexBackend } from './search-index-backend.js';
import {
	checkpointFile,
	searchIndexGeneration,
	SearchIndexCheckpoints,
	type Checkpoint,
} from './search-index-checkpoints.js';
import { liveMessages, liveMessagesThrough, messagesAfter } from './search-index-feed.js';
import type { IndexOpened, IndexStats } from './search-index-service.js';
import { positiveInteger } from './positive-integer.js';
import { unlinkIfPresent, nodeFileSystem } from './storage-file-system.js';
import type { SqlWriter } from './sql-types.js';

/** How the chat store feeds its search index; every field has a default. */
export type SearchIndexHostOptions = {
	/** Messages read from the database per batch while the index catches up. */
	readonly batchSize?: number;
	/**
	 * Entries sent but not yet applied above which new messages are no longer sent as they come
	 * but read back from the database once the index has caught up (its queue stays bounded).
	 */
	readonly maxUnapplied?: number;
	/** Entries written to the index after which it is saved again (a checkpoint). */
	readonly checkpointAfterEntries?: number;
};

const defaults = { batchSize: 500, maxUnapplied: 50_000, checkpointAfterEntries: 100_000 } as const;

/** A change not sent yet: the appends of a turn gather in one. */
type PendingChange =
	| { kind: 'add'; messages: IndexedMessage[]; through: number }
	| { kind: 'remove'; messages: IndexedMessage[] };

/**
 * The chat store's side of the search index (search-index-core.ts), which runs on another thread:
 * tells it of every stored, edited and deleted message, in order, one batch per turn, and asks it
 * for a search's candidates.
 *
 * The index is a cache of the messages table, never journaled: it is saved now and then (every
 * `checkpointAfterEntries`, and at close) and the chat database vouches for the last file saved
 * and remembers what changed since (search-index-checkpoints.ts). Opening loads that file, takes
 * out what changed and puts it back as it is, then reads every message above the file's `through`;
 * without a file it can vouch for, the index is rebuilt from the messages. Both in the background:
 * a search waits for them.
 *
 * `sentThrough` is the newest id whose message the index has been sent (or skipped, deleted).
 * While it lags the database (after open, or when the index falls behind the traffic), new
 * messages are read back from the database in batches instead of sent as they come; an edit or
 * delete of a message not sent yet is not sent either, as its batch reads it as it is then.
 */
export class SearchIndexHost {
	readonly #batchSize: number;
	readonly #maxUnapplied: number;
	readonly #checkpointAfterEntries: number;
	readonly #checkpoints: SearchIndexCheckpoints;
	#sentThrough = 0;
	#live = false;
	#pending: PendingChange[] = [];
	#flush: NodeJS.Immediate | undefined;
	#unapplied = 0;
	#entriesSinceCheckpoint = 0;
	#catchingUp: Promise<void> | undefined;
	#saving: Promise<void> | undefined;
	#failure: Error | undefined;
	#closed = false;
	#opened: 'loaded' | 'rebuilt' = 'rebuilt';

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
		this.#checkpointAfterEntries = positiveInteger(
			options.checkpointAfterEntries ?? defaults.checkpointAfterEntries,
			'checkpointAfterEntries',
		);
		this.#checkpoints = new SearchIndexCheckpoints(db);
	}

	/** Opens the index of the database in `db.dir`: the checkpoint it vouches for, or a rebuild. */
	static async open(
		db: JournaledDatabase,
		backend: SearchIndexBackend,
		options: SearchIndexHostOptions = {},
	): Promise<SearchIndexHost> {
		const host = new SearchIndexHost(db, backend, options);
		await host.#load();
		await host.#removeOtherFiles();
		host.#startCatchingUp();
		return host;
	}

	/** Whether the index was loaded from a checkpoint or is being rebuilt from the messages. */
	get opened(): 'loaded' | 'rebuilt' {
		return this.#opened;
	}

	/** A message was stored. */
	added(message: IndexedMessage): void {
		if (!this.#live) return;
		this.#sentThrough = message.id;
		this.#queue({ kind: 'add', messages: [message], through: message.id });
	}

	/** Inside the write that edits or deletes these messages, as they are before it. */
	remember(tx: SqlWriter, messages: readonly IndexedMessage[]): void {
		this.#checkpoints.remember(tx, messages);
	}

	/** A message's text changed from `before`'s to `after`'s (after the write). */
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

	/** Resolves once the index has every message, is merged fully and saved (tests, bench). */
	async settled(): Promise<void> {
		await this.#catchingUp;
		this.#sendPending();
		await this.backend.request({ kind: 'merged' });
		await this.#saving;
		await this.#checkpoint();
	}

	/** Throws unless the index holds exactly the live messages as they are now (tests). */
	async verify(): Promise<void> {
		await this.applied();
		const messages = liveMessagesThrough(this.db, this.#sentThrough);
		await this.backend.request({ kind: 'verify', messages });
	}

	/** What the index holds, once every change made so far is applied (tests, bench). */
	async stats(): Promise<IndexStats> {
		await this.applied();
		return (await this.backend.request({ kind: 'stats' })) as IndexStats;
	}

	/**
	 * Saves the index (a last checkpoint), so the next open has little to catch up on, then ends
	 * it. Call before the database closes, with no writes after.
	 */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		try {
			await this.#catchingUp?.catch(() => undefined);
			await this.#saving;
			if (!this.#failure) await this.#checkpoint();
		} finally {
			await this.backend.close().catch(() => undefined);
		}
	}

	async #load(): Promise<void> {
		this.#checkpoints.discardUncommitted();
		const checkpoint = this.#checkpoints.current;
		let opened: IndexOpened;
		try {
			opened = (await this.backend.request({
				kind: 'open',
				path: checkpoint ? checkpointFile(this.db.dir, checkpoint.generation) : '',
				token: checkpoint?.token ?? null,
			})) as IndexOpened;
		} catch {
			// An unreadable file: build the index anew. A thread that cannot run at all fails
			// searches only (#fail); messages are still stored and delivered.
			opened = await this.#openEmpty();
			if (this.#failure) return;
		}
		if (checkpoint && opened.loaded && opened.through === checkpoint.through) {
			this.#opened = 'loaded';
			this.#sentThrough = checkpoint.through;
			// Out with what changed since the file was written, in with it as it is now.
			const changed = this.#checkpoints.changedSince();
			if (changed.length > 0) {
				const now = liveMessages(
					this.db,
					changed.map((message) => message.id),
				);
				this.#queue({ kind: 'remove', messages: changed });
				this.#queue({ kind: 'add', messages: now, through: 0 });
			}
			return;
		}
		if (checkpoint) this.#checkpoints.reset();
		if (opened.loaded) await this.#openEmpty();
	}

	async #openEmpty(): Promise<IndexOpened> {
		try {
			return (await this.backend.request({ kind: 'open', path: '', token: null })) as IndexOpened;
		} catch (error) {
			this.#fail(error);
			return { loaded: false, through: 0 };
		}
	}

	/** Index files of other checkpoints (older ones, or one a crash left half-written). */
	async #removeOtherFiles(): Promise<void> {
		const keep = this.#checkpoints.current?.generation;
		const names = await nodeFileSystem.readdir(this.db.dir).catch(() => [] as string[]);
		for (const name of names) {
			const generation = searchIndexGeneration(name);
			if (generation === undefined || (generation === keep && !name.endsWith('.tmp'))) continue;
			await unlinkIfPresent(nodeFileSystem, join(this.db.dir, name)).catch(() => undefined);
		}
	}

	/** Saves the index as a new checkpoint; the old one stays valid until the new one commits. */
	#checkpoint(): Promise<void> {
		if (this.#saving || this.#failure) return this.#saving ?? Promise.resolve();
		this.#sendPending();
		const next = this.#checkpoints.begin(this.#sentThrough);
		const previous = this.#checkpoints.current;
		this.#entriesSinceCheckpoint = 0;
		const path = checkpointFile(this.db.dir, next.generation);
		this.#saving = this.#save(next, path, previous).finally(() => {
			this.#saving = undefined;
		});
		return this.#saving;
	}

	async #save(next: Checkpoint, path: string, previous: Checkpoint | undefined): Promise<void> {
		try {
			await this.backend.request({ kind: 'save', path, token: next.token });
			// A change sent before the save that the index failed to apply is not in the file.
			if (this.#failure) throw this.#failure;
			this.#checkpoints.commit(next);
		} catch {
			// The previous checkpoint stays; failing that, the next open rebuilds.
			try {
				this.#checkpoints.abandon(next);
			} catch {
				// The database failed or closed: it vouches for whatever it last committed.
			}
			await unlinkIfPresent(nodeFileSystem, path).catch(() => undefined);
			return;
		}
		if (!previous) return;
		// Only once the database's pointer to the new file is durable may the old file go.
		const durable = await this.db.durable().then(
			() => true,
			() => false,
		);
		if (!durable) return;
		await unlinkIfPresent(nodeFileSystem, checkpointFile(this.db.dir, previous.generation)).catch(
			() => undefined,
		);
	}

	#queue(change: IndexChange): void {
		// Also while closing: a change made before the closing checkpoint begins belongs in its file.
		if (this.#failure) return;
		const last = this.#pending.at(-1);
		if (last?.kind === 'add' && change.kind === 'add') {
			// A turn's appends go as one change: one array to copy to the thread, not one per message.
			last.messages.push(...change.messages);
			last.through = Math.max(last.through, change.through);
		} else {
			this.#pending.push({ ...change, messages: [...change.messages] });
		}
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
			this.#fail(error);
			throw error;
		} finally {
			this.#unapplied -= entries;
		}
		this.#entriesSinceCheckpoint += entries;
		if (this.#checkpointDue()) void this.#checkpoint();
	}

	#checkpointDue(): boolean {
		if (this.#closed || !this.#live || this.#saving) return false;
		// A rebuilt index is saved as soon as it has caught up, so another crash need not rebuild.
		if (!this.#checkpoints.current) return this.#sentThrough > 0;
		return this.#entriesSinceCheckpoint >= this.#checkpointAfterEntries;
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
		for (;;) {
			while (this.#unapplied > this.#maxUnapplied / 2 && !this.#failure) {
				await this.backend.request({ kind: 'sync' });
			}
			if (this.#closed || this.#failure) return;
			const batch = messagesAfter(this.db, this.#sentThrough, this.#batchSize);
			const last = batch.rows < this.#batchSize;
			if (batch.rows > 0) {
				this.#sentThrough = batch.through;
				this.#queue({ kind: 'add', messages: batch.messages, through: batch.through });
			}
			// From here every new message is sent as it comes.
			if (last) this.#live = true;
			const changes = this.#pending;
			this.#pending = [];
			if (changes.length > 0) await this.#apply(changes);
			// Live traffic may have put the index behind again while that batch was applied.
			if (last && this.#live) return;
		}
	}

	#fail(error: unknown): void {
		if (this.#failure) return;
		this.#failure = error instanceof Error ? error : new Error(String(error));
		if (!this.#closed) {
			process.emitWarning(`KoriChat storage: search indexing stopped (${this.#failure.message})`);
		}
	}
}
