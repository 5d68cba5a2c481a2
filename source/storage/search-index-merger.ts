import { StorageClosedError, StorageFailedError } from '../domain/storage-errors.js';
import type { JournaledDatabase } from './journaled-database.js';
import { positiveInteger } from './positive-integer.js';
import { reasonOf } from '../domain/error-reason.js';

/** How the search index is kept merged; every field has a default. */
export type SearchIndexMergerOptions = {
	/**
	 * FTS4 leaf pages one step writes ("merge=<pages>,2"): the longest a step holds the event loop.
	 * 32 pages took ~5 ms on a freshly merged million messages but 20–36 ms on an index growing
	 * under writes (the 1M-message stall workload); 8 keep a step under ~10 ms.
	 */
	readonly pagesPerStep?: number;
	/** Index writes (appends, edits) after which the merger looks at the segments again. */
	readonly checkAfterWrites?: number;
	/** A run of at least this many steps asks for a snapshot, so a restart does not replay them. */
	readonly snapshotAfterSteps?: number;
	/** Milliseconds without index writes after which the index is merged fully again. */
	readonly idleMergeMs?: number;
	/** False: nothing runs until start() (tests). Default true. */
	readonly autoStart?: boolean;
};

const defaults = {
	pagesPerStep: 8,
	checkAfterWrites: 256,
	snapshotAfterSteps: 64,
	idleMergeMs: 5_000,
} as const;

// How many segments a level must hold to be merged: all of them when the index is quiet (a search
// then reads one per level), 4 while index writes flow, which rewrites each entry half as often
// (each merge takes 4 segments to one of the next level instead of 2) for at most 3 per level.
const fullFanIn = 2;
const busyFanIn = 4;

// A level holding at least ?1 segments: FTS4 reads every segment for every query token, and a
// search over all of a user's conversations asks for one token per conversation.
const unmergedLevel =
	'SELECT 1 AS unmerged FROM message_words_segdir GROUP BY level HAVING COUNT(*) >= ? LIMIT 1';

/**
 * Keeps the FTS4 search index (message_words) in few segments, a little at a time. FTS4 writes a
 * segment per transaction and merges only once 16 pile up at one level, so a big store holds 40 or
 * more, and a query token costs a lookup in each. One-shot 'optimize' blocks for many seconds on
 * a million messages; instead this runs one incremental merge step ("merge=X,2") per event-loop
 * turn until no level holds two segments. While index writes flow it merges lightly after every
 * `checkAfterWrites` of them (levels of 4 or more), and fully again once they have paused for
 * `idleMergeMs`.
 *
 * Each step is an ordinary journaled write: it changes no row anyone reads, but journaling it keeps
 * the one rule that nothing changes the database outside write(), and a snapshot rebuilt from the
 * journals (the snapshot worker) then holds the merged index too instead of undoing the work at
 * every restart. Replayed on another segment layout a step merges what it finds there, which is
 * as correct. A long run asks for a snapshot afterwards so a restart need not replay it.
 */
export class SearchIndexMerger {
	readonly #pagesPerStep: number;
	readonly #checkAfterWrites: number;
	readonly #snapshotAfterSteps: number;
	readonly #idleMergeMs: number;
	/** The fan-in of the run under way (fullFanIn or busyFanIn). */
	#fanIn: number = fullFanIn;
	#idleTimer: NodeJS.Timeout | undefined;
	#steps = 0;
	#stepsThisRun = 0;
	#writesSinceCheck = 0;
	#scheduled: NodeJS.Immediate | undefined;
	#stopped = false;
	#idleWaiters: (() => void)[] = [];

	constructor(
		private readonly db: JournaledDatabase,
		options: SearchIndexMergerOptions = {},
	) {
		this.#pagesPerStep = positiveInteger(
			options.pagesPerStep ?? defaults.pagesPerStep,
			'pagesPerStep',
		);
		this.#checkAfterWrites = positiveInteger(
			options.checkAfterWrites ?? defaults.checkAfterWrites,
			'checkAfterWrites',
		);
		this.#snapshotAfterSteps = positiveInteger(
			options.snapshotAfterSteps ?? defaults.snapshotAfterSteps,
			'snapshotAfterSteps',
		);
		this.#idleMergeMs = options.idleMergeMs ?? defaults.idleMergeMs;
		if (options.autoStart ?? true) this.start();
	}

	/** Merge steps run since the merger was made. */
	get steps(): number {
		return this.#steps;
	}

	/** True while steps are scheduled. */
	get running(): boolean {
		return this.#scheduled !== undefined;
	}

	/** Segments in the index now, by level (level → count). */
	segments(): Map<number, number> {
		const rows = this.db.all<{ level: number; count: number }>(
			'SELECT level, COUNT(*) AS count FROM message_words_segdir GROUP BY level ORDER BY level',
		);
		return new Map(rows.map((row) => [row.level, row.count]));
	}

	/** Starts merging fully on a later turn if the index needs it; a no-op once stopped. */
	start(): void {
		this.#run(fullFanIn);
	}

	/**
	 * Counts writes to the index (messages indexed): every `checkAfterWrites` start a light merge
	 * run, and a pause of `idleMergeMs` after the last a full one.
	 */
	noteIndexWrites(count = 1): void {
		this.#writesSinceCheck += count;
		if (this.#writesSinceCheck >= this.#checkAfterWrites) this.#run(busyFanIn);
		if (this.#stopped) return;
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		this.#idleTimer = setTimeout(() => {
			this.#idleTimer = undefined;
			this.start();
		}, this.#idleMergeMs);
		this.#idleTimer.unref();
	}

	/** Resolves once no merge step is scheduled (merged, or stopped). */
	whenIdle(): Promise<void> {
		if (!this.#scheduled) return Promise.resolve();
		return new Promise((resolve) => this.#idleWaiters.push(resolve));
	}

	/** Cancels the next step for good (the store is closing). */
	stop(): void {
		this.#stopped = true;
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		this.#idleTimer = undefined;
		this.#finishRun();
	}

	/** A run merging levels of at least `fanIn` segments; a run under way merges the fuller way. */
	#run(fanIn: number): void {
		if (this.#stopped) return;
		if (this.#scheduled) {
			this.#fanIn = Math.min(this.#fanIn, fanIn);
			return;
		}
		this.#fanIn = fanIn;
		this.#writesSinceCheck = 0;
		this.#stepsThisRun = 0;
		this.#schedule();
	}

	#schedule(): void {
		this.#scheduled = setImmediate(() => this.#turn());
	}

	#turn(): void {
		this.#scheduled = undefined;
		let more: boolean;
		try {
			more = this.#needsMerging() && this.#step();
		} catch (error) {
			this.#stopped = true;
			more = false;
			if (!(error instanceof StorageClosedError || error instanceof StorageFailedError)) {
				// Only a speed-up has failed: searches stay correct, just slower.
				const reason = reasonOf(error);
				process.emitWarning(`KoriChat storage: search index merging stopped (${reason})`);
			}
		}
		if (more && !this.#stopped) this.#schedule();
		else this.#finishRun();
	}

	#needsMerging(): boolean {
		return this.db.get(unmergedLevel, [this.#fanIn]) !== undefined;
	}

	/** One merge step; false when it merged nothing (FTS4 says so by changing under two rows). */
	#step(): boolean {
		const merged = this.db.write((tx) => {
			const before = tx.get<{ n: number }>('SELECT total_changes() AS n')!.n;
			tx.run('INSERT INTO message_words (message_words) VALUES (?)', [
				`merge=${this.#pagesPerStep},${this.#fanIn}`,
			]);
			return tx.get<{ n: number }>('SELECT total_changes() AS n')!.n - before >= 2;
		});
		this.#steps++;
		this.#stepsThisRun++;
		return merged;
	}

	#finishRun(): void {
		if (this.#scheduled) clearImmediate(this.#scheduled);
		this.#scheduled = undefined;
		if (this.#stepsThisRun >= this.#snapshotAfterSteps && !this.#stopped) {
			// Errors are the snapshot's own business: the journal still holds everything.
			this.db.snapshot().catch(() => undefined);
		}
		this.#stepsThisRun = 0;
		for (const resolve of this.#idleWaiters.splice(0)) resolve();
	}
}
