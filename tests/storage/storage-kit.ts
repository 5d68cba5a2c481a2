import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
	JournaledDatabase,
	type DatabaseOptions,
	type Migration,
} from '../../source/storage/journaled-database.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

export const MIGRATIONS: readonly Migration[] = [
	{
		version: 1,
		up: `CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, label TEXT NOT NULL, data BLOB);
			CREATE TABLE tags (item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, tag TEXT NOT NULL);`,
	},
];

export type Item = { id: number; label: string; data: Uint8Array | null };

/** Temp folders and databases made by a test, released after it. */
export function useStorageSandbox() {
	const dirs: TempDir[] = [];
	const databases: JournaledDatabase[] = [];
	afterEach(async () => {
		for (const database of databases.splice(0)) await database.close().catch(() => undefined);
		for (const temp of dirs.splice(0)) await temp.remove();
	});
	return {
		async tempDir(): Promise<string> {
			const temp = await makeTempDir('korichat-storage-');
			dirs.push(temp);
			return temp.dir;
		},
		async open(dir: string, options: Partial<DatabaseOptions> = {}): Promise<JournaledDatabase> {
			const database = await JournaledDatabase.open({ dir, migrations: MIGRATIONS, ...options });
			databases.push(database);
			return database;
		},
		/** What a crash would leave: a copy of the folder as it is on disk right now. */
		async crashImage(dir: string): Promise<string> {
			// A live store may remove a file while it is copied (an old journal, an old search index
			// checkpoint): copy again, as a crash would find the folder a moment later.
			for (let attempt = 1; ; attempt++) {
				const image = await this.tempDir();
				try {
					await cp(dir, image, { recursive: true });
					return image;
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 5) throw error;
				}
			}
		},
	};
}

export function insertItem(
	database: JournaledDatabase,
	label: string,
	data: Uint8Array | null = null,
): number {
	return database.write(
		(tx) =>
			tx.get<{ id: number }>('INSERT INTO items (label, data) VALUES (?, ?) RETURNING id', [
				label,
				data,
			])!.id,
	);
}

export function labels(database: JournaledDatabase): string[] {
	return database
		.all<{ label: string }>('SELECT label FROM items ORDER BY id')
		.map((row) => row.label);
}

export async function fileNames(dir: string): Promise<string[]> {
	return (await readdir(dir)).sort();
}

export function journalFile(dir: string, generation: number): string {
	return join(dir, `journal.${generation}.log`);
}
