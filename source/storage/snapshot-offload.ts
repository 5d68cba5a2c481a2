import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { writeFileDurably, writeSnapshotFile } from './snapshot-file.js';
import { readSnapshotSources } from './snapshot-image.js';
import type { SnapshotAnswer, SnapshotJob } from './snapshot-worker.js';
import { StorageCorruptError } from '../domain/storage-errors.js';
import { nodeFileSystem, type StorageFileSystem } from './storage-file-system.js';

const workerUrl = new URL('./snapshot-worker-entry.js', import.meta.url);

/**
 * True when the compiled worker script sits beside this module (a build in dist/). Run from
 * TypeScript sources (vitest), there is none and snapshots are taken in-thread.
 */
export function snapshotWorkerAvailable(): boolean {
	return existsSync(fileURLToPath(workerUrl));
}

/** The worker could not build the snapshot (not a damaged file, not a failed write). */
export class SnapshotWorkerError extends Error {
	override readonly name = 'SnapshotWorkerError';
}

/**
 * Writes the snapshot for `nextGeneration` (and, for a backup, the same image to `copyTo`), built in a worker thread from the files on disk: the
 * previous snapshot plus the journals before `nextGeneration`, which must already be durable. On
 * the real file system the worker reads and writes the files itself, so the event loop never holds
 * a database-sized buffer (allocating one can trigger a full GC); through a test file system the
 * bytes pass through here. A fresh worker per snapshot: sql.js's memory only grows, so it is freed
 * by ending the thread. Resolves with the image's size in bytes.
 */
export async function writeSnapshotInWorker(
	fileSystem: StorageFileSystem,
	dir: string,
	nextGeneration: number,
	copyTo?: string,
	behind = false,
): Promise<number> {
	if (fileSystem === nodeFileSystem) {
		const job: SnapshotJob = { kind: 'files', dir, nextGeneration, ...(copyTo ? { copyTo } : {}) };
		return check(await runWorker(job, [], behind)).bytes;
	}
	const sources = await readSnapshotSources(fileSystem, dir, nextGeneration).catch(
		(error: unknown) => {
			// The in-thread fallback needs no files read: let it try.
			throw new SnapshotWorkerError(`cannot read the snapshot's sources: ${String(error)}`);
		},
	);
	const job: SnapshotJob = {
		kind: 'bytes',
		sources: {
			snapshot: sources.snapshot && ownBuffer(sources.snapshot),
			journals: sources.journals.map((journal) => ({
				...journal,
				bytes: ownBuffer(journal.bytes),
			})),
		},
		nextGeneration,
	};
	const transfer = [job.sources.snapshot, ...job.sources.journals.map((journal) => journal.bytes)]
		.filter((bytes) => bytes !== undefined)
		.map((bytes) => bytes.buffer as ArrayBuffer);
	const { image } = check(await runWorker(job, transfer, behind));
	if (!image) throw new SnapshotWorkerError('the snapshot worker returned no image');
	await writeSnapshotFile(fileSystem, dir, image);
	if (copyTo !== undefined) await writeFileDurably(fileSystem, copyTo, image);
	return image.length;
}

function check(answer: SnapshotAnswer): { image?: Uint8Array; bytes: number } {
	if (answer.ok) return answer;
	if (answer.corrupt) throw new StorageCorruptError(answer.message);
	if (answer.writing) throw new Error(answer.message);
	throw new SnapshotWorkerError(answer.message);
}

/** `behind`: the journal is far past its threshold, so the worker is not idle-scheduled. */
function runWorker(
	job: SnapshotJob,
	transfer: ArrayBuffer[],
	behind: boolean,
): Promise<SnapshotAnswer> {
	return new Promise((resolve, reject) => {
		let worker: Worker;
		try {
			worker = new Worker(workerUrl, { workerData: { behind } });
		} catch (error) {
			reject(new SnapshotWorkerError(`cannot start the snapshot worker: ${String(error)}`));
			return;
		}
		worker.unref();
		let answered = false;
		worker.once('message', (answer: SnapshotAnswer) => {
			answered = true;
			resolve(answer);
			void worker.terminate();
		});
		worker.once('error', (error) => {
			answered = true;
			reject(new SnapshotWorkerError(`the snapshot worker failed: ${error.message}`));
		});
		worker.once('exit', (code) => {
			if (!answered)
				reject(new SnapshotWorkerError(`the snapshot worker exited with code ${code}`));
		});
		worker.postMessage(job, transfer);
	});
}

/** A view that owns its whole ArrayBuffer, so transferring it moves nothing else along. */
function ownBuffer(bytes: Uint8Array): Uint8Array {
	if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
	return bytes.slice();
}
