import { dirname, join } from 'node:path';
import { SqlConnection } from './sql-connection.js';
import { StorageCorruptError } from '../domain/storage-errors.js';
import {
	isMissingFile,
	syncDirectory,
	unlinkIfPresent,
	writeFully,
	type StorageFileSystem,
} from './storage-file-system.js';
import { SNAPSHOT_FILE, SNAPSHOT_TEMP_FILE } from './storage-layout.js';
import { reasonOf } from '../domain/error-reason.js';

// Lives inside the database but outside the journal: it says which journal generation follows the
// snapshot it is part of, so replay starts there.
const META_TABLE =
	'CREATE TABLE IF NOT EXISTS journaled_database_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)';
const READ_GENERATION =
	"SELECT value FROM journaled_database_meta WHERE key = 'journal_generation'";
const WRITE_GENERATION =
	"INSERT OR REPLACE INTO journaled_database_meta (key, value) VALUES ('journal_generation', ?)";

/**
 * The database as of the last snapshot (empty if there is none), and the first journal generation
 * the snapshot does not contain.
 */
export async function loadSnapshot(
	fileSystem: StorageFileSystem,
	dir: string,
): Promise<{ connection: SqlConnection; generation: number }> {
	const image = await readSnapshotFile(fileSystem, dir);
	try {
		return await openSnapshotImage(image);
	} catch (error) {
		if (!image) throw error;
		const reason = reasonOf(error);
		throw new StorageCorruptError(`${join(dir, SNAPSHOT_FILE)} cannot be read: ${reason}`, {
			cause: error,
		});
	}
}

/** A connection over a snapshot's bytes (empty when undefined) and the journal generation after it. */
export async function openSnapshotImage(
	image: Uint8Array | undefined,
): Promise<{ connection: SqlConnection; generation: number }> {
	let connection: SqlConnection | undefined;
	try {
		connection = await SqlConnection.create(image);
		connection.runUnjournaled(META_TABLE, []);
		const generation = connection.get<{ value: number }>(READ_GENERATION)?.value ?? 0;
		return { connection, generation };
	} catch (error) {
		connection?.close();
		throw error;
	}
}

/**
 * The blocking step of a snapshot: records that journal `nextGeneration` follows it, then serializes
 * the whole database (about 0.2 s at a million messages). The server runs it in a worker
 * (snapshot-worker.ts) on a copy rebuilt from the files; in-thread only as a fallback.
 */
export function captureSnapshot(connection: SqlConnection, nextGeneration: number): Uint8Array {
	connection.runUnjournaled(WRITE_GENERATION, [nextGeneration]);
	return connection.export();
}

export async function readSnapshotFile(
	fileSystem: StorageFileSystem,
	dir: string,
): Promise<Uint8Array | undefined> {
	try {
		return await fileSystem.readFile(join(dir, SNAPSHOT_FILE));
	} catch (error) {
		if (isMissingFile(error)) return undefined;
		throw error;
	}
}

/** A temp snapshot left by a crash is incomplete or not yet renamed; either way it is not needed. */
export async function removeStraySnapshot(
	fileSystem: StorageFileSystem,
	dir: string,
): Promise<void> {
	await unlinkIfPresent(fileSystem, join(dir, SNAPSHOT_TEMP_FILE));
}

/**
 * Replaces the snapshot atomically: write a temp file, fsync it, rename it over, fsync the folder.
 * If that fails, the temp file is removed (best effort) and the error thrown.
 */
export async function writeSnapshotFile(
	fileSystem: StorageFileSystem,
	dir: string,
	image: Uint8Array,
): Promise<void> {
	await writeFileDurably(fileSystem, join(dir, SNAPSHOT_FILE), image);
}

/**
 * Writes `path` so that a crash leaves either the old file or the whole new one: `path.tmp` is
 * written and fsynced, renamed over `path`, then the folder is fsynced. On failure the temp file
 * is removed (best effort) and the error thrown.
 */
export async function writeFileDurably(
	fileSystem: StorageFileSystem,
	path: string,
	image: Uint8Array,
): Promise<void> {
	const temp = `${path}.tmp`;
	try {
		const file = await fileSystem.openFile(temp, 'w');
		try {
			await writeFully(file, image, image.length);
			await file.sync();
		} finally {
			await file.close();
		}
		await fileSystem.rename(temp, path);
		await syncDirectory(fileSystem, dirname(path));
	} catch (error) {
		await unlinkIfPresent(fileSystem, temp).catch(() => undefined);
		throw error;
	}
}
