import { parentPort } from 'node:worker_threads';
import { buildSnapshotImage, readSnapshotSources, type SnapshotSources } from './snapshot-image.js';
import { writeFileDurably, writeSnapshotFile } from './snapshot-file.js';
import { StorageCorruptError } from '../domain/storage-errors.js';
import { callingThreadFileSystem } from './calling-thread-file-system.js';
import { reasonOf } from '../domain/error-reason.js';

// The snapshot worker thread (started through snapshot-worker-entry.ts, see snapshot-offload.ts):
// one job, one answer. Its files are read and written on this thread, not in libuv's pool (see
// calling-thread-file-system.ts).

/**
 * 'files': the worker reads and writes the files itself, the snapshot and, for a backup, a copy at
 * `copyTo`; 'bytes': it gets the sources' bytes and returns the image.
 */
export type SnapshotJob =
	| {
			readonly kind: 'files';
			readonly dir: string;
			readonly nextGeneration: number;
			readonly copyTo?: string;
	  }
	| { readonly kind: 'bytes'; readonly sources: SnapshotSources; readonly nextGeneration: number };

export type SnapshotAnswer =
	| { readonly ok: true; readonly image?: Uint8Array; readonly bytes: number }
	| {
			readonly ok: false;
			readonly message: string;
			readonly corrupt: boolean;
			/** Failed while writing the file: retrying in-thread would not help. */
			readonly writing: boolean;
	  };

async function run(job: SnapshotJob): Promise<SnapshotAnswer> {
	let writing = false;
	try {
		if (job.kind === 'bytes') {
			const image = await buildSnapshotImage(job.sources, job.nextGeneration);
			return { ok: true, image, bytes: image.length };
		}
		const sources = await readSnapshotSources(callingThreadFileSystem, job.dir, job.nextGeneration);
		const image = await buildSnapshotImage(sources, job.nextGeneration);
		writing = true;
		await writeSnapshotFile(callingThreadFileSystem, job.dir, image);
		if (job.copyTo !== undefined)
			await writeFileDurably(callingThreadFileSystem, job.copyTo, image);
		return { ok: true, bytes: image.length };
	} catch (error) {
		return {
			ok: false,
			message: reasonOf(error),
			corrupt: error instanceof StorageCorruptError,
			writing,
		};
	}
}

parentPort?.once('message', (job: SnapshotJob) => {
	void run(job).then((answer) => {
		const transfer = answer.ok && answer.image ? [answer.image.buffer as ArrayBuffer] : [];
		parentPort!.postMessage(answer, transfer);
	});
});
