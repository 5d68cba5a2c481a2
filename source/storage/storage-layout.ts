import { join } from 'node:path';
import type { StorageFileSystem } from './storage-file-system.js';

export const SNAPSHOT_FILE = 'snapshot.db';
export const SNAPSHOT_TEMP_FILE = 'snapshot.db.tmp';

const JOURNAL_NAME = /^journal\.(\d+)\.log$/;

export function journalPath(dir: string, generation: number): string {
	return join(dir, `journal.${generation}.log`);
}

/** Generations of the journal files in `dir`, oldest first. */
export async function listJournalGenerations(
	fileSystem: StorageFileSystem,
	dir: string,
): Promise<number[]> {
	const generations: number[] = [];
	for (const name of await fileSystem.readdir(dir)) {
		const match = JOURNAL_NAME.exec(name);
		if (match?.[1] !== undefined) generations.push(Number(match[1]));
	}
	return generations.sort((a, b) => a - b);
}
