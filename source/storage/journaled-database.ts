import { JournalWriter, randomSalt } from './journal-writer.js';
import { applyRecordPayload, recoverJournals } from './journal-recovery.js';
import { JournaledTransaction } from './journaled-transaction.js';
import { pendingMigrations } from './migrations.js';
import {
	captureSnapshot,
	loadSnapshot,
	removeStraySnapshot,
	writeFileDurably,
	writeSnapshotFile,
} from './snapshot-file.js';
import {
	SnapshotWorkerError,
	snapshotWorkerAvailable,
	writeSnapshotInWorker,
} from './snapshot-offload.js';
import { isReadOnlySql } from './sql-classify.js';
import type { SqlConnection } from './sql-connection.js';
import { StorageClosedError } from '../domain/storage-errors.js';
import {
	nodeFileSystem,
	syncDirectory,
	unlinkIfPresent,
	type StorageFileSystem,
} from './storage-file-system.js';
import { journalPath, listJournalGenerations } from './storage-layout.js';
import {
	noStorageInstruments,
	secondsSince,
	type StorageInstruments,
} from './storage-instruments.js';
import { probeFolderWritable } from './write-probe.js';
import type { Migration, SqlParams, SqlReader, SqlWriter } from './sql-types.js';

export type {
	Migration,
	RunResult,
	SqlParams,
	SqlReader,
	SqlValue,
	SqlWriter,
} from './sql-types.js';
export {
	StorageClosedError,
	StorageCorruptError,
	StorageFailedError,
} from '../domain/storage-errors.js';
import { reasonOf } from '../domain/error-reason.js';
export { nodeFileSystem, type StorageFile, type StorageFileSystem } from './storage-file-system.js';

export type DatabaseOptions = {
	dir: string;
	migrations: readonly Migration[];
	/** Take a snapshot once the journals hold this many bytes not yet in a snapshot. */
	snapshotAfterBytes?: number;
	/** Called when an automatic snapshot fails (the journal still holds everything); default: a process warning. */
	onSnapshotError?: (error: unknown) => void;
	/** Test seam: every file operation goes through it. */
	fileSystem?: StorageFileSystem;
	/**
	 * Where snapshots are built: 'worker' rebuilds the database from the files in a worker thread so
	 * the event loop never blocks on the export; 'thread' exports the live database in place.
	 * Default: 'worker' when the compiled worker script is present (a build), else 'thread'.
	 */
	snapshotIn?: 'worker' | 'thread';
	/** Told of every group commit and snapshot (the metrics); no-op by default. */
	instruments?: StorageInstruments;
};

export type StorageStats = {
	/** Bytes written to journal files since open. */
	journalBytes: number;
	/** Journal write+datasync rounds (group commits) since open. */
	fsyncs: number;
	/** Records (journaled write() calls) since open. */
	records: number;
	/** Snapshots completed since open. */
	snapshots: number;
};

/** What a backup wrote. */
export type DatabaseBackup = {
	/** The backup file's size. */
	readonly bytes: number;
};

/** A snapshot that also serves a backup: where the copy goes, and what to read at the cut. */
type SnapshotCopy = {
	readonly path: string;
	/** Runs at the moment the backup's contents are fixed: it sees exactly what the copy holds. */
	readonly atCut: () => void;
};

const DEFAULT_SNAPSHOT_AFTER_BYTES = 64 * 1024 * 1024;
/** A snapshot starting with this many thresholds of journal is not left for idle CPU only. */
const SNAPSHOT_BEHIND_FACTOR = 4;
// Below this the whole file is copied in a few ms when sql.js grows it; no reserve is kept.
const RESERVE_FROM_BYTES = 16 * 1024 * 1024;

/**
 * sql.js in memory, made durable by a journal of each write's statements plus periodic snapshots.
 * Files in `dir`: snapshot.db, journal.<generation>.log, and transiently snapshot.db.tmp.
 */
export class JournaledDatabase implements SqlReader {
	private readonly transaction: JournaledTransaction;
	private snapshotQueue: Promise<void> = Promise.resolve();
	private snapshotDue = false;
	private snapshotCount = 0;
	private closing: Promise<void> | undefined;
	private closed = false;
	/** An SQLite transaction holding this turn's writes. */
	private batchOpen = false;
	/** Payloads of the records written in the open transaction, to redo them after a rollback. */
	private batchPayloads: Buffer[] = [];
	private markClosed: () => void = () => undefined;
	private readonly closedSignal = new Promise<void>((resolve) => (this.markClosed = resolve));
	/** The write probe under way: probes asked for meanwhile share it. */
	private writeProbe: Promise<void> | undefined;

	private constructor(
		private readonly connection: SqlConnection,
		private readonly journal: JournalWriter,
		private readonly fileSystem: StorageFileSystem,
		/** The data folder: its files are the database (storage-layout.ts). */
		readonly dir: string,
		private readonly snapshotAfterBytes: number,
		private readonly onSnapshotError: (error: unknown) => void,
		/** Journal bytes the newest snapshot does not contain. */
		private unsnapshottedBytes: number,
		private readonly snapshotInWorker: boolean,
		private readonly instruments: StorageInstruments,
	) {
		this.transaction = new JournaledTransaction(connection, journal);
	}

	static async open(options: DatabaseOptions): Promise<JournaledDatabase> {
		const fileSystem = options.fileSystem ?? nodeFileSystem;
		const { dir } = options;
		await fileSystem.mkdir(dir);
		await removeStraySnapshot(fileSystem, dir);
		const { connection, generation } = await loadSnapshot(fileSystem, dir);
		let database: JournaledDatabase | undefined;
		try {
			const recovered = await recoverJournals(connection, fileSystem, dir, generation);
			const journal = new JournalWriter(
				fileSystem,
				dir,
				recovered.generation,
				recovered.salt ?? randomSalt(),
				options.instruments,
			);
			database = new JournaledDatabase(
				connection,
				journal,
				fileSystem,
				dir,
				options.snapshotAfterBytes ?? DEFAULT_SNAPSHOT_AFTER_BYTES,
				options.onSnapshotError ?? warnSnapshotFailed,
				recovered.replayedBytes,
				(options.snapshotIn ?? (snapshotWorkerAvailable() ? 'worker' : 'thread')) === 'worker',
				options.instruments ?? noStorageInstruments,
			);
			database.migrate(options.migrations);
		} catch (error) {
			if (database) await database.abandon();
			else connection.close();
			throw error;
		}
		database.commitBatch();
		database.reserveSpace();
		database.scheduleSnapshotIfDue();
		return database;
	}

	/** The data folder. */
	get directory(): string {
		return this.dir;
	}

	get stats(): StorageStats {
		return { ...this.journal.stats, snapshots: this.snapshotCount };
	}

	/** Reads the in-memory state; a statement that may change data is refused (use write()). */
	get<T extends object>(sql: string, params?: SqlParams): T | undefined {
		if (this.transaction.active) return this.transaction.get<T>(sql, params);
		this.assertReadable(sql);
		return this.connection.get<T>(sql, params);
	}

	all<T extends object>(sql: string, params?: SqlParams): T[] {
		if (this.transaction.active) return this.transaction.all<T>(sql, params);
		this.assertReadable(sql);
		return this.connection.all<T>(sql, params);
	}

	/**
	 * Runs `fn` in one transaction and queues its statements for the journal. The change is visible
	 * at once and durable once durable() resolves. If `fn` throws, it is rolled back and not logged.
	 */
	write<T>(fn: (tx: SqlWriter) => T): T {
		return this.transact(fn);
	}

	/** Resolves once every write() so far is fsynced; rejects with StorageFailedError if the store failed. */
	durable(): Promise<void> {
		return this.journal.durable();
	}

	/**
	 * Takes a snapshot now, after any snapshot already running. A failed snapshot rejects but leaves
	 * the store working: the journals still hold every change.
	 */
	snapshot(): Promise<void> {
		const next = this.snapshotQueue.then(() => this.timedSnapshot());
		this.snapshotQueue = next.then(
			() => undefined,
			() => undefined,
		);
		return next.then(() => undefined);
	}

	/**
	 * Writes a consistent copy of the database to `path` (temp file, fsync, rename, fsync its
	 * folder) without stopping writes: a snapshot whose image also goes to `path`, queued like any
	 * other, so no snapshot removes a journal it still reads. It holds every write() made before the
	 * call; `atCut` runs synchronously at the instant its contents are fixed (it may read them).
	 */
	backup(path: string, atCut: () => void = () => undefined): Promise<DatabaseBackup> {
		const next = this.snapshotQueue.then(() => this.timedSnapshot({ path, atCut }));
		this.snapshotQueue = next.then(
			() => undefined,
			() => undefined,
		);
		return next.then((bytes) => ({ bytes }));
	}

	/**
	 * Resolves once a write could land now: the journal has not failed, and a small file in the
	 * folder can be written and fsynced (a full disk rejects). Calls meanwhile share one probe.
	 */
	probeWritable(): Promise<void> {
		if (this.journal.failure) return Promise.reject(this.journal.failure);
		if (this.closing) return Promise.reject(new StorageClosedError());
		this.writeProbe ??= probeFolderWritable(this.fileSystem, this.dir).finally(() => {
			this.writeProbe = undefined;
		});
		return this.writeProbe;
	}

	/** Settles once close() has released everything. */
	whenClosed(): Promise<void> {
		return this.closedSignal;
	}

	/** Waits for durability, snapshots if the journal holds anything, then releases files and memory. */
	close(): Promise<void> {
		this.closing ??= this.shutDown();
		return this.closing;
	}

	/**
	 * The writes of one event-loop turn share one SQLite transaction, committed by setImmediate:
	 * a commit per write cost ~60 µs in sql.js, a shared one ~6 µs per write. Each write is still
	 * its own journal record, visible at once on this connection. A write that throws is undone by
	 * rolling the whole transaction back and re-applying the turn's earlier records (kept as copies),
	 * which is cheaper than a savepoint around every write when writes rarely fail.
	 */
	private transact<T>(fn: (tx: JournaledTransaction) => T): T {
		if (this.closing) throw new StorageClosedError();
		if (this.journal.failure) throw this.journal.failure;
		if (this.transaction.active) throw new Error('write() cannot be nested inside another write()');
		const journal = this.journal;
		this.openBatch();
		journal.beginRecord();
		let result: T;
		try {
			this.transaction.active = true;
			try {
				result = fn(this.transaction);
			} finally {
				this.transaction.active = false;
			}
			if (isThenable(result)) throw new TypeError('write() callbacks must be synchronous');
		} catch (error) {
			journal.abortRecord();
			this.undoWrite();
			throw error;
		}
		this.unsnapshottedBytes += journal.commitRecord(this.keepPayload);
		this.scheduleSnapshotIfDue();
		return result;
	}

	private readonly keepPayload = (payload: Buffer) => this.batchPayloads.push(payload);

	private openBatch(): void {
		if (this.batchOpen) return;
		this.connection.begin();
		this.batchOpen = true;
		setImmediate(() => {
			try {
				this.commitBatch();
			} catch {
				// commitBatch put the journal in the failed state; later calls report it.
			}
		});
	}

	/** Commits this turn's writes; must run before an export and before closing. */
	private commitBatch(): void {
		if (!this.batchOpen || this.transaction.active) return;
		this.batchOpen = false;
		this.batchPayloads = [];
		try {
			this.connection.commit();
		} catch (error) {
			// The journal holds writes that memory just lost: accept no more.
			this.connection.rollback();
			throw this.journal.fail(error);
		}
	}

	/**
	 * sql.js keeps the database file in one array that grows 12.5% at a time by copying the whole
	 * file: ~150 ms of blocked event loop at a million messages, every ~20 MB of new data. Half the
	 * file's size in free pages, reserved at start-up (~0.5 s at a million messages), postpones
	 * those copies until the data has grown by half; growth past that copies as before, since a
	 * reserve made under load would block longer than the copy it saves (see docs/performance.md).
	 */
	private reserveSpace(): void {
		const { total, free } = this.connection.fileSpace();
		if (total < RESERVE_FROM_BYTES || free >= total / 4) return;
		try {
			this.connection.reserveFreePages(total / 2 - free);
		} catch {
			// Only a speed-up: without free pages the file grows as it did.
		}
	}

	/** Takes back a failed write: roll the turn back, then redo the turn's journaled writes. */
	private undoWrite(): void {
		this.connection.rollback();
		try {
			this.connection.begin();
			for (const payload of this.batchPayloads) applyRecordPayload(this.connection, payload);
		} catch (error) {
			// Memory can no longer match the journal: accept no more writes.
			this.batchOpen = false;
			this.batchPayloads = [];
			this.connection.rollback();
			throw this.journal.fail(error);
		}
	}

	private migrate(migrations: readonly Migration[]): void {
		const current = this.connection.get<{ user_version: number }>('PRAGMA user_version');
		for (const { version, up } of pendingMigrations(migrations, current?.user_version ?? 0)) {
			this.transact((tx) => {
				tx.exec(up);
				tx.run(`PRAGMA user_version = ${version}`);
			});
		}
	}

	private scheduleSnapshotIfDue(): void {
		if (this.snapshotDue || this.unsnapshottedBytes < this.snapshotAfterBytes) return;
		this.snapshotDue = true;
		// Off the request path: the export blocks the event loop for the size of the database.
		// After a failure the next attempt waits for another snapshotAfterBytes of journal.
		setImmediate(() => {
			this.snapshot()
				.catch((error: unknown) => {
					if (!this.journal.failure && !this.closed) this.onSnapshotError(error);
				})
				.finally(() => {
					this.snapshotDue = false;
				});
		});
	}

	/** A snapshot (see takeSnapshot), its duration and outcome told to the instruments. */
	private async timedSnapshot(copy?: SnapshotCopy): Promise<number> {
		const started = performance.now();
		try {
			const bytes = await this.takeSnapshot(copy);
			this.instruments.snapshotFinished(secondsSince(started), true);
			return bytes;
		} catch (error) {
			this.instruments.snapshotFinished(secondsSince(started), false);
			throw error;
		}
	}

	/** Takes a snapshot (and writes its image to `copy.path` too); resolves with the image's size. */
	private async takeSnapshot(copy?: SnapshotCopy): Promise<number> {
		if (this.journal.failure) throw this.journal.failure;
		if (this.closed) throw new StorageClosedError();
		let generation = this.journal.generation + 1;
		let image: Uint8Array | undefined;
		if (!this.snapshotInWorker) {
			this.commitBatch();
			image = captureSnapshot(this.connection, generation);
		}
		this.journal.rotate(generation);
		copy?.atCut();
		// The last snapshot waited long (an idle-scheduled worker under a saturating load).
		const behind = this.unsnapshottedBytes >= SNAPSHOT_BEHIND_FACTOR * this.snapshotAfterBytes;
		this.unsnapshottedBytes = 0;
		// Every record before the rotation must be on disk: the worker rebuilds from the files, and a
		// snapshot may replace the older journals only once they are complete.
		await this.journal.durable();
		let bytes = image?.length ?? 0;
		if (!image) {
			try {
				bytes = await writeSnapshotInWorker(
					this.fileSystem,
					this.dir,
					generation,
					copy?.path,
					behind,
				);
			} catch (error) {
				if (!(error instanceof SnapshotWorkerError)) throw error;
				// No worker (a thread could not start, or it failed): export in-thread instead. Memory
				// now also holds the writes made since the rotation, so this snapshot seals the next one.
				generation = this.journal.generation + 1;
				this.commitBatch();
				image = captureSnapshot(this.connection, generation);
				this.journal.rotate(generation);
				copy?.atCut();
				bytes = image.length;
				await this.journal.durable();
			}
		}
		if (image) {
			await writeSnapshotFile(this.fileSystem, this.dir, image);
			if (copy) await writeFileDurably(this.fileSystem, copy.path, image);
		}
		await this.removeJournalsBefore(generation);
		this.snapshotCount++;
		return bytes;
	}

	private async removeJournalsBefore(generation: number): Promise<void> {
		const generations = await listJournalGenerations(this.fileSystem, this.dir);
		const obsolete = generations.filter((candidate) => candidate < generation);
		for (const old of obsolete) await unlinkIfPresent(this.fileSystem, journalPath(this.dir, old));
		if (obsolete.length > 0) await syncDirectory(this.fileSystem, this.dir);
	}

	private async shutDown(): Promise<void> {
		try {
			await this.journal.durable();
			if (this.unsnapshottedBytes > 0) await this.snapshot();
			else await this.snapshotQueue;
		} finally {
			try {
				this.commitBatch();
			} catch {
				// The journal holds every acknowledged write; nothing more to save here.
			}
			this.closed = true;
			await this.journal.close();
			this.connection.close();
			this.markClosed();
		}
	}

	/** Cleanup after a failed open: keep what was journaled, release everything. */
	private async abandon(): Promise<void> {
		await this.journal.durable().catch(() => undefined);
		await this.journal.close();
		this.connection.close();
	}

	private assertReadable(sql: string): void {
		if (this.closed) throw new StorageClosedError();
		// Outside write() a change would never reach the journal and be lost on restart.
		if (!isReadOnlySql(sql)) {
			throw new TypeError(`only queries may run outside write(): ${sql.slice(0, 60)}`);
		}
	}
}

function warnSnapshotFailed(error: unknown): void {
	const reason = reasonOf(error);
	process.emitWarning(
		`KoriChat storage: automatic snapshot failed (${reason}); the journal keeps growing`,
	);
}

function isThenable(value: unknown): boolean {
	return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
