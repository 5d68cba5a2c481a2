import { join } from 'node:path';
import { unlinkIfPresent, writeFully, type StorageFileSystem } from './storage-file-system.js';
import { reasonOf } from '../domain/error-reason.js';

/** Written, fsynced and removed by every probe; a crash may leave it, and nothing reads it. */
export const WRITE_PROBE_FILE = 'write-probe.tmp';

// One file-system block: a disk with less room than this is full for a journal record too.
const probeBytes = Buffer.alloc(4096, 0x2e);

/**
 * Proves that a write can land in the folder now: a fresh file is written, fsynced and removed.
 * A new file each time, so a full disk cannot be passed by rewriting blocks the probe already has.
 */
export async function probeFolderWritable(
	fileSystem: StorageFileSystem,
	dir: string,
): Promise<void> {
	const path = join(dir, WRITE_PROBE_FILE);
	try {
		const file = await fileSystem.openFile(path, 'w');
		try {
			await writeFully(file, probeBytes, probeBytes.length);
			await file.datasync();
		} finally {
			await file.close().catch(() => undefined);
			await unlinkIfPresent(fileSystem, path);
		}
	} catch (error) {
		const reason = reasonOf(error);
		throw new Error(`cannot write to the data folder ${dir} (${reason})`, { cause: error });
	}
}
