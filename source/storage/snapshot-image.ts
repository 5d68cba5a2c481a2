import { scanJournal } from './journal-scan.js';
import { replayRecords } from './journal-recovery.js';
import { captureSnapshot, openSnapshotImage, readSnapshotFile } from './snapshot-file.js';
import { StorageCorruptError } from '../domain/storage-errors.js';
import type { StorageFileSystem } from './storage-file-system.js';
import { journalPath, listJournalGenerations } from './storage-layout.js';

export type JournalFile = {
	readonly generation: number;
	readonly path: string;
	readonly bytes: Uint8Array;
};

/** The files a snapshot is rebuilt from, as they are on disk. */
export type SnapshotSources = {
	readonly snapshot: Uint8Array | undefined;
	readonly journals: readonly JournalFile[];
};

/** Reads the last snapshot and every journal older than `nextGeneration`. */
export async function readSnapshotSources(
	fileSystem: StorageFileSystem,
	dir: string,
	nextGeneration: number,
): Promise<SnapshotSources> {
	const snapshot = await readSnapshotFile(fileSystem, dir);
	const journals: JournalFile[] = [];
	for (const generation of await listJournalGenerations(fileSystem, dir)) {
		if (generation >= nextGeneration) continue;
		const path = journalPath(dir, generation);
		journals.push({ generation, path, bytes: await fileSystem.readFile(path) });
	}
	return { snapshot, journals };
}

/**
 * Rebuilds the database from the last snapshot plus every journal older than `nextGeneration`,
 * exactly as a restart would, and serializes it as the snapshot that journal `nextGeneration`
 * follows. Runs in the snapshot worker, so the server's event loop never waits for the export.
 */
export async function buildSnapshotImage(
	sources: SnapshotSources,
	nextGeneration: number,
): Promise<Uint8Array> {
	const { connection, generation: from } = await openSnapshotImage(sources.snapshot);
	try {
		const journals = [...sources.journals].sort((a, b) => a.generation - b.generation);
		for (const { generation, path, bytes } of journals) {
			if (generation < from || generation >= nextGeneration) continue;
			const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
			const scan = scanJournal(buffer, path);
			// These journals were fully fsynced before the job started, so any damage is real.
			if (scan.validLength < buffer.length) {
				throw new StorageCorruptError(
					`${path} has a damaged record at byte ${scan.validLength}; no snapshot was taken`,
				);
			}
			replayRecords(connection, scan.records, path);
		}
		return captureSnapshot(connection, nextGeneration);
	} finally {
		connection.close();
	}
}
