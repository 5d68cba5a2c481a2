import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { BackupError, openBackupImage } from './backup-image.js';
import { lockDataFolder } from './data-folder-lock.js';
import { searchIndexGeneration } from './search-index-checkpoints.js';
import { captureSnapshot, writeSnapshotFile } from './snapshot-file.js';
import {
	nodeFileSystem,
	syncDirectory,
	unlinkIfPresent,
	type StorageFileSystem,
} from './storage-file-system.js';
import { SNAPSHOT_FILE, journalPath, listJournalGenerations } from './storage-layout.js';

export type RestoreOptions = {
	/** Replace the snapshot and journals a folder already holds (default: refuse). */
	readonly force?: boolean;
	/** Test seam: every file operation in the data folder goes through it. */
	readonly fileSystem?: StorageFileSystem;
};

export type RestoreResult = {
	readonly dataDir: string;
	/** The snapshot written into the folder. */
	readonly bytes: number;
	readonly schemaVersion: number;
	readonly users: number;
	readonly messages: number;
	readonly lastMessageId: number | null;
	/** The data files the restore replaced (only with force). */
	readonly replaced: readonly string[];
};

/**
 * Makes `dataDir` hold exactly the backup in `file`, for a server started on it later. The file is
 * checked first (openBackupImage); the folder is locked, so a running server refuses the restore
 * in one line naming its PID; a folder holding data is refused unless `force`.
 *
 * Crash-safe: the backup becomes the folder's snapshot by one rename, and the snapshot names a
 * journal generation above every journal in the folder, so from that instant the old journals are
 * obsolete (a start deletes them unread). A crash before it leaves the old data, after it the new.
 */
export async function restoreBackup(
	file: string,
	dataDir: string,
	options: RestoreOptions = {},
): Promise<RestoreResult> {
	const fileSystem = options.fileSystem ?? nodeFileSystem;
	const image = await readBackup(file);
	const backup = await openBackupImage(image, file);
	try {
		const dir = resolve(dataDir);
		const created = await createFolder(dir);
		if (relative(await realpath(dir), await realpath(file)).split('/')[0] !== '..') {
			throw new BackupError(`${file} is inside the data folder ${dir}: move it out first`);
		}
		const lock = await lockDataFolder(dir);
		try {
			const generations = await listJournalGenerations(fileSystem, dir);
			const existing = [
				...((await fileSystem.readdir(dir)).includes(SNAPSHOT_FILE) ? [SNAPSHOT_FILE] : []),
				...generations.map((generation) => `journal.${generation}.log`),
			];
			if (existing.length > 0 && !options.force) {
				throw new BackupError(
					`${dir} already holds data (${existing.join(', ')}); restore into an empty folder, ` +
						'or pass --force to replace it',
				);
			}
			const generation = Math.max(backup.generation, (generations.at(-1) ?? -1) + 1);
			const snapshot = captureSnapshot(backup.connection, generation);
			// The switch: from here on the folder holds the backup, and the old journals are obsolete.
			await writeSnapshotFile(fileSystem, dir, snapshot);
			for (const old of generations) await unlinkIfPresent(fileSystem, journalPath(dir, old));
			// The old data's search index (a cache of what is gone): the server builds the backup's.
			for (const name of await fileSystem.readdir(dir)) {
				if (searchIndexGeneration(name) !== undefined) {
					await unlinkIfPresent(fileSystem, join(dir, name));
				}
			}
			if (generations.length > 0) await syncDirectory(fileSystem, dir);
			if (created) await syncDirectory(fileSystem, dirname(dir));
			return {
				dataDir: dir,
				bytes: snapshot.length,
				schemaVersion: backup.schemaVersion,
				users: backup.users,
				messages: backup.messages,
				lastMessageId: backup.lastMessageId,
				replaced: existing,
			};
		} finally {
			await lock.release();
		}
	} finally {
		backup.connection.close();
	}
}

async function readBackup(file: string): Promise<Uint8Array> {
	try {
		return await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new BackupError(`cannot read the backup ${file} (${code})`);
	}
}

/** Creates the data folder (owner-only) if needed; true when it did not exist. */
async function createFolder(dir: string): Promise<boolean> {
	try {
		return (await mkdir(dir, { recursive: true, mode: 0o700 })) !== undefined;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new BackupError(`cannot use the data folder ${dir} (${code})`);
	}
}
