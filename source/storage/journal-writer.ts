import { randomInt } from 'node:crypto';
import { JournalBatch, encodeJournalHeader } from './journal-record.js';
import { StorageFailedError } from '../domain/storage-errors.js';
import {
	syncDirectory,
	writeFully,
	type StorageFile,
	type StorageFileSystem,
} from './storage-file-system.js';
import { journalPath } from './storage-layout.js';
import {
	noStorageInstruments,
	secondsSince,
	type StorageInstruments,
} from './storage-instruments.js';
import type { SqlParams } from './sql-types.js';

type Waiter = {
	sequence: number;
	readonly promise: Promise<void>;
	readonly resolve: () => void;
	readonly reject: (error: Error) => void;
};

const settled = Promise.resolve();

export type JournalStats = { journalBytes: number; fsyncs: number; records: number };

// A spare batch buffer larger than this is dropped after a flush instead of being kept for reuse.
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

export function randomSalt(): number {
	return randomInt(0, 2 ** 32 - 1);
}

/**
 * Appends committed records to `journal.<generation>.log` with group commit: records committed
 * while one write+datasync runs all go out in the next single write+datasync. Generations are
 * flushed strictly in order, so a newer journal never holds a record whose predecessor is lost.
 */
export class JournalWriter {
	readonly stats: JournalStats = { journalBytes: 0, fsyncs: 0, records: 0 };
	private active: JournalBatch;
	/** Batches of earlier generations, left behind by rotate(), waiting for the flush loop. */
	private readonly sealed: JournalBatch[] = [];
	private spare: JournalBatch | undefined;
	private file: { generation: number; handle: StorageFile } | undefined;
	private flushScheduled = false;
	private flushing = false;
	private appended = 0;
	private durableThrough = 0;
	private readonly waiters: Waiter[] = [];
	/** The waiter that durable() calls share until the next flush takes a batch. */
	private joinable: Waiter | undefined;
	private failureError: StorageFailedError | undefined;

	constructor(
		private readonly fileSystem: StorageFileSystem,
		private readonly dir: string,
		generation: number,
		salt: number,
		private readonly instruments: StorageInstruments = noStorageInstruments,
	) {
		this.active = new JournalBatch(generation, salt);
	}

	get failure(): StorageFailedError | undefined {
		return this.failureError;
	}

	get generation(): number {
		return this.active.generation;
	}

	beginRecord(): void {
		this.active.beginRecord();
	}

	appendStatement(sql: string, params: SqlParams): number {
		return this.active.appendStatement(sql, params);
	}

	appendScript(sql: string): number {
		return this.active.appendScript(sql);
	}

	discardFrom(mark: number): void {
		this.active.discardFrom(mark);
	}

	markFailed(mark: number): void {
		this.active.markFailed(mark);
	}

	abortRecord(): void {
		this.active.abortRecord();
	}

	/**
	 * Queues the record for the next group commit; returns its size (0 if it had no entries) and,
	 * when asked, a copy of its payload.
	 */
	commitRecord(keep?: (payload: Buffer) => void): number {
		const bytes = this.active.endRecord();
		if (bytes === 0) return 0;
		keep?.(this.active.copyLastPayload(bytes));
		this.active.endSequence = ++this.appended;
		this.stats.records++;
		this.scheduleFlush();
		return bytes;
	}

	/** Sends records committed from now on to a new journal generation. */
	rotate(generation: number): void {
		if (this.active.length > 0) {
			this.sealed.push(this.active);
			this.active = this.takeSpare();
		}
		this.active.reset(generation, randomSalt());
	}

	/**
	 * Resolves once every record committed so far is on disk. Calls made before the next flush
	 * begins share one promise: that flush covers all of them, so none waits longer for sharing.
	 */
	durable(): Promise<void> {
		if (this.failureError) return Promise.reject(this.failureError);
		if (this.durableThrough >= this.appended) return settled;
		const joinable = this.joinable;
		if (joinable) {
			joinable.sequence = this.appended;
			return joinable.promise;
		}
		let resolve: () => void = () => undefined;
		let reject: (error: Error) => void = () => undefined;
		const promise = new Promise<void>((onResolve, onReject) => {
			resolve = onResolve;
			reject = onReject;
		});
		const waiter: Waiter = { sequence: this.appended, promise, resolve, reject };
		this.waiters.push(waiter);
		this.joinable = waiter;
		return promise;
	}

	/** Puts the journal in the failed state; returns the error every later call will see. */
	fail(cause: unknown): StorageFailedError {
		if (!this.failureError) {
			const reason = cause instanceof Error ? cause.message : String(cause);
			this.failureError = new StorageFailedError(
				`storage in ${this.dir} failed and accepts no more writes: ${reason}`,
				{ cause },
			);
		}
		this.joinable = undefined;
		const waiters = this.waiters.splice(0);
		for (const waiter of waiters) waiter.reject(this.failureError);
		return this.failureError;
	}

	async close(): Promise<void> {
		const file = this.file;
		this.file = undefined;
		await file?.handle.close();
	}

	private scheduleFlush(): void {
		if (this.flushing || this.flushScheduled || this.failureError) return;
		this.flushScheduled = true;
		// setImmediate rather than a microtask: writes from every I/O callback of this turn join the batch.
		setImmediate(() => {
			this.flushScheduled = false;
			void this.flushLoop();
		});
	}

	private async flushLoop(): Promise<void> {
		if (this.flushing || this.failureError) return;
		this.flushing = true;
		try {
			for (let batch = this.nextBatch(); batch; batch = this.nextBatch()) {
				const bytesBefore = this.stats.journalBytes;
				const handle = await this.fileFor(batch);
				const started = performance.now();
				await writeFully(handle, batch.bytes, batch.length);
				await handle.datasync();
				this.stats.fsyncs++;
				this.stats.journalBytes += batch.length;
				this.instruments.journalFlushed(
					secondsSince(started),
					batch.endSequence - this.durableThrough,
					this.stats.journalBytes - bytesBefore,
				);
				this.durableThrough = batch.endSequence;
				this.recycle(batch);
				if (this.sealed.length === 0 && this.file?.generation !== this.active.generation) {
					await this.close();
				}
				this.resolveWaiters();
			}
		} catch (error) {
			this.fail(error);
		} finally {
			this.flushing = false;
		}
	}

	private nextBatch(): JournalBatch | undefined {
		// Whatever is taken now covers every durable() call so far; later calls wait for more.
		this.joinable = undefined;
		const sealed = this.sealed.shift();
		if (sealed || this.active.length === 0 || this.failureError) return sealed;
		const batch = this.active;
		this.active = this.takeSpare();
		this.active.reset(batch.generation, batch.salt);
		return batch;
	}

	private async fileFor(batch: JournalBatch): Promise<StorageFile> {
		if (this.file?.generation === batch.generation) return this.file.handle;
		await this.close();
		const handle = await this.fileSystem.openFile(journalPath(this.dir, batch.generation), 'a');
		this.file = { generation: batch.generation, handle };
		if ((await handle.stat()).size === 0) {
			const header = encodeJournalHeader(batch.salt);
			await writeFully(handle, header, header.length);
			this.stats.journalBytes += header.length;
		}
		// The new file's name must be durable before any record in it is acknowledged.
		await syncDirectory(this.fileSystem, this.dir);
		return handle;
	}

	private takeSpare(): JournalBatch {
		const batch = this.spare ?? new JournalBatch(this.active.generation, this.active.salt);
		this.spare = undefined;
		return batch;
	}

	private recycle(batch: JournalBatch): void {
		if (!this.spare && batch.bytes.length <= MAX_SPARE_BYTES) this.spare = batch;
	}

	private resolveWaiters(): void {
		let count = 0;
		while (count < this.waiters.length && this.waiters[count]!.sequence <= this.durableThrough) {
			this.waiters[count]!.resolve();
			count++;
		}
		this.waiters.splice(0, count);
	}
}
