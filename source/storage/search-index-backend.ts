import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
	SearchIndexService,
	type IndexAnswer,
	type IndexMergeOptions,
	type IndexRequest,
} from './search-index-service.js';
import { nodeFileSystem } from './storage-file-system.js';

/** Where the search index runs: every request is answered in the order it was made. */
export interface SearchIndexBackend {
	request(request: IndexRequest): Promise<unknown>;
	/** Frees the index (and ends its thread); requests still open are rejected. */
	close(): Promise<void>;
}

/** The index's thread stopped or failed: searches fail, messages are still stored and delivered. */
export class SearchIndexFailedError extends Error {
	override readonly name = 'SearchIndexFailedError';
}

const workerUrl = new URL('./search-index-worker.js', import.meta.url);

/** True when the compiled worker script sits beside this module (a build in dist/). */
export function searchIndexWorkerAvailable(): boolean {
	return existsSync(fileURLToPath(workerUrl));
}

/** The index in its own worker thread where it can run there, else on the calling thread. */
export function startSearchIndex(merge: IndexMergeOptions = {}): SearchIndexBackend {
	if (searchIndexWorkerAvailable()) {
		try {
			return new WorkerBackend(merge);
		} catch (error) {
			process.emitWarning(
				`KoriChat storage: the search index runs on the event loop (no worker thread: ${String(error)})`,
			);
		}
	}
	return new InThreadBackend(merge);
}

/** The index on the calling thread (tests from TypeScript sources; no worker thread could run). */
export class InThreadBackend implements SearchIndexBackend {
	readonly #service: SearchIndexService;
	#tail: Promise<unknown> = Promise.resolve();

	constructor(merge: IndexMergeOptions = {}) {
		this.#service = new SearchIndexService(nodeFileSystem, merge);
	}

	request(request: IndexRequest): Promise<unknown> {
		// One at a time, as the worker's port delivers them: an open or save awaits file I/O.
		const answer = this.#tail.then(() => this.#service.handle(request)).then(unwrap);
		this.#tail = answer.catch(() => undefined);
		return answer;
	}

	async close(): Promise<void> {
		await this.#tail;
		this.#service.close();
	}
}

type Envelope = { readonly id: number; readonly answer: IndexAnswer };

/** The index in a worker thread (search-index-worker.ts), talked to by messages. */
export class WorkerBackend implements SearchIndexBackend {
	readonly #worker: Worker;
	readonly #open = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
	#nextId = 0;
	#failure: SearchIndexFailedError | undefined;

	constructor(merge: IndexMergeOptions = {}) {
		this.#worker = new Worker(workerUrl, { workerData: merge });
		this.#worker.unref();
		this.#worker.on('message', ({ id, answer }: Envelope) => {
			const waiter = this.#open.get(id);
			this.#open.delete(id);
			if (this.#open.size === 0) this.#worker.unref();
			try {
				waiter?.resolve(unwrap(answer));
			} catch (error) {
				waiter?.reject(error as Error);
			}
		});
		this.#worker.on('error', (error) => this.#fail(`the search index failed: ${error.message}`));
		this.#worker.on('exit', (code) => this.#fail(`the search index's thread exited (${code})`));
	}

	request(request: IndexRequest): Promise<unknown> {
		if (this.#failure) return Promise.reject(this.#failure);
		const id = this.#nextId++;
		return new Promise((resolve, reject) => {
			this.#open.set(id, { resolve, reject });
			// Kept alive while it owes an answer (a closing server's last save), idle otherwise.
			if (this.#open.size === 1) this.#worker.ref();
			this.#worker.postMessage({ id, request });
		});
	}

	async close(): Promise<void> {
		this.#failure ??= new SearchIndexFailedError('the search index is closed');
		await this.#worker.terminate();
	}

	#fail(message: string): void {
		this.#failure ??= new SearchIndexFailedError(message);
		for (const waiter of this.#open.values()) waiter.reject(this.#failure);
		this.#open.clear();
	}
}

function unwrap(answer: IndexAnswer): unknown {
	if (!answer.ok) throw new SearchIndexFailedError(answer.message);
	return answer.value;
}
