import { SearchIndexCore, type IndexChange, type IndexedMessage } from './search-index-core.js';
import { writeFileDurably } from './snapshot-file.js';
import { isMissingFile, type StorageFileSystem } from './storage-file-system.js';

/** What the chat store asks of its search index (search-index-host.ts); each gets an answer. */
export type IndexRequest =
	/**
	 * Loads the file at `path` if it was saved with `token`, else (or with no token) starts empty:
	 * answers IndexOpened.
	 */
	| { readonly kind: 'open'; readonly path: string; readonly token: string | null }
	/** Applies changes in order: answers how many entries were written. */
	| { readonly kind: 'apply'; readonly changes: readonly IndexChange[] }
	/** Answers candidate ids, newest first (SearchIndexCore.candidates). */
	| {
			readonly kind: 'search';
			readonly expressions: readonly string[];
			readonly before: number;
			readonly limit: number;
	  }
	/** Writes the index to `path` durably, carrying `token`. */
	| { readonly kind: 'save'; readonly path: string; readonly token: string }
	/** Throws unless the index holds exactly these messages (SearchIndexCore.verify; tests). */
	| { readonly kind: 'verify'; readonly messages: readonly IndexedMessage[] }
	/** Answers IndexStats. */
	| { readonly kind: 'stats' }
	/** Merges fully, answering once no merge step is left. */
	| { readonly kind: 'merged' }
	/** Answers once every request before it has been. */
	| { readonly kind: 'sync' };

/** How the index opened: loaded from the file, or empty. */
export type IndexOpened = { readonly loaded: boolean; readonly through: number };

/** What the index holds now. */
export type IndexStats = {
	readonly through: number;
	/** Messages in the index. */
	readonly entries: number;
	/** Segments by level, as [level, count] pairs. */
	readonly segments: readonly (readonly [number, number])[];
};

export type IndexAnswer =
	{ readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string };

/** How the index is kept merged; every field has a default. */
export type IndexMergeOptions = {
	/** FTS4 leaf pages one merge step writes; a step holds only the index's own thread. */
	readonly pagesPerStep?: number;
	/** Entries written after which levels of `busyFanIn` segments are merged. */
	readonly checkAfterEntries?: number;
	/** Milliseconds without writes after which the index is merged fully (one segment a level). */
	readonly idleMergeMs?: number;
};

const mergeDefaults = { pagesPerStep: 32, checkAfterEntries: 256, idleMergeMs: 5_000 } as const;
// While writes flow a level is merged once it holds 4 segments (each entry is rewritten half as
// often as with 2); once they pause, every level down to one segment, for the fastest queries.
const busyFanIn = 4;
const fullFanIn = 2;

/**
 * The search index behind its requests, wherever it runs: in the index's worker thread
 * (search-index-worker.ts), or on the calling thread where no worker can start (tests run from
 * TypeScript sources). Keeps FTS4's segments few with one incremental merge step per turn, so a
 * request waits for one step at most.
 */
export class SearchIndexService {
	#core: SearchIndexCore | undefined;
	readonly #merge: Required<IndexMergeOptions>;
	#entriesSinceCheck = 0;
	#fanIn = fullFanIn;
	#step: NodeJS.Immediate | undefined;
	#idleTimer: NodeJS.Timeout | undefined;
	#mergedWaiters: (() => void)[] = [];

	constructor(
		private readonly fileSystem: StorageFileSystem,
		merge: IndexMergeOptions = {},
	) {
		this.#merge = { ...mergeDefaults, ...merge };
	}

	async handle(request: IndexRequest): Promise<IndexAnswer> {
		try {
			return { ok: true, value: await this.#run(request) };
		} catch (error) {
			return { ok: false, message: error instanceof Error ? error.message : String(error) };
		}
	}

	/** Stops merging and frees the index. */
	close(): void {
		this.#stopMerging();
		this.#core?.close();
		this.#core = undefined;
	}

	async #run(request: IndexRequest): Promise<unknown> {
		if (request.kind === 'open') return this.#open(request.path, request.token);
		const core = this.#core;
		if (!core) throw new Error('the search index is not open');
		switch (request.kind) {
			case 'apply': {
				const entries = core.apply(request.changes);
				this.#noteWrites(entries);
				return entries;
			}
			case 'search':
				return core.candidates(request.expressions, request.before, request.limit);
			case 'save':
				await writeFileDurably(this.fileSystem, request.path, core.image(request.token));
				return null;
			case 'verify':
				core.verify(request.messages);
				return null;
			case 'stats':
				return {
					through: core.through,
					entries: core.entries,
					segments: [...core.segments()],
				} satisfies IndexStats;
			case 'sync':
				return null;
			case 'merged':
				this.#startMerging(fullFanIn);
				if (this.#step) await new Promise<void>((resolve) => this.#mergedWaiters.push(resolve));
				return null;
		}
	}

	async #open(path: string, token: string | null): Promise<IndexOpened> {
		this.close();
		let image: Uint8Array | undefined;
		if (token !== null) {
			image = await this.fileSystem.readFile(path).catch((error: unknown) => {
				if (isMissingFile(error)) return undefined;
				throw error;
			});
		}
		let core = image && (await SearchIndexCore.open(image).catch(() => undefined));
		if (core && core.token !== token) {
			// Saved for another checkpoint than the one the chat database vouches for.
			core.close();
			core = undefined;
		}
		this.#core = core ?? (await SearchIndexCore.open());
		this.#startMerging(fullFanIn);
		return { loaded: core !== undefined, through: this.#core.through };
	}

	#noteWrites(entries: number): void {
		this.#entriesSinceCheck += entries;
		if (this.#entriesSinceCheck >= this.#merge.checkAfterEntries) this.#startMerging(busyFanIn);
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		this.#idleTimer = setTimeout(() => {
			this.#idleTimer = undefined;
			this.#startMerging(fullFanIn);
		}, this.#merge.idleMergeMs);
		this.#idleTimer.unref();
	}

	#startMerging(fanIn: number): void {
		this.#entriesSinceCheck = 0;
		this.#fanIn = this.#step ? Math.min(this.#fanIn, fanIn) : fanIn;
		this.#step ??= setImmediate(() => this.#mergeTurn());
	}

	#mergeTurn(): void {
		this.#step = undefined;
		const core = this.#core;
		let more = false;
		try {
			more =
				core !== undefined &&
				core.needsMerging(this.#fanIn) &&
				core.mergeStep(this.#merge.pagesPerStep, this.#fanIn);
		} catch (error) {
			// Only a speed-up failed: searches stay correct, just slower.
			process.emitWarning(`KoriChat search index: merging stopped (${String(error)})`);
		}
		if (more) this.#step = setImmediate(() => this.#mergeTurn());
		else for (const resolve of this.#mergedWaiters.splice(0)) resolve();
	}

	#stopMerging(): void {
		if (this.#step) clearImmediate(this.#step);
		if (this.#idleTimer) clearTimeout(this.#idleTimer);
		this.#step = undefined;
		this.#idleTimer = undefined;
		for (const resolve of this.#mergedWaiters.splice(0)) resolve();
	}
}
