import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type * as Storage from '../../source/storage/journaled-database.js';
import { MIGRATIONS, fileNames, insertItem, labels, useStorageSandbox } from './storage-kit.js';

// The worker runs compiled JavaScript, so this suite drives the build in dist/ (made by global setup).
const built = pathToFileURL(resolve('dist/source/storage/journaled-database.js')).href;
const { JournaledDatabase: BuiltDatabase } = (await import(built)) as typeof Storage;

const sandbox = useStorageSandbox();

describe('snapshots built in the worker thread', () => {
	it('match the live database, and writes made meanwhile go to the next journal', async () => {
		const dir = await sandbox.tempDir();
		const database = await BuiltDatabase.open({
			dir,
			migrations: MIGRATIONS,
			snapshotIn: 'worker',
		});
		for (let index = 0; index < 500; index++) insertItem(database, `before ${index}`);
		insertItem(database, 'with data', new Uint8Array([0, 1, 254, 255]));
		const snapshot = database.snapshot();
		insertItem(database, 'during the snapshot');
		await snapshot;
		insertItem(database, 'after the snapshot');
		await database.durable();
		expect(database.stats.snapshots).toBe(1);
		expect(await fileNames(dir)).toEqual(['journal.1.log', 'snapshot.db']);
		const expected = labels(database);

		// Reopening from the crash image needs the worker's snapshot plus journal 1.
		const image = await sandbox.crashImage(dir);
		const reopened = await sandbox.open(image, { snapshotIn: 'thread' });
		expect(labels(reopened)).toEqual(expected);
		expect(
			reopened.get<{ data: Uint8Array }>("SELECT data FROM items WHERE label = 'with data'")?.data,
		).toEqual(new Uint8Array([0, 1, 254, 255]));
		await database.close();
	});

	it('falls back to an in-thread export when the worker cannot build one', async () => {
		const dir = await sandbox.tempDir();
		const { nodeFileSystem } = (await import(built)) as typeof Storage;
		let failReads = false;
		const fileSystem: Storage.StorageFileSystem = {
			...nodeFileSystem,
			readFile: (path) =>
				failReads
					? Promise.reject(new Error('EIO: the disk is unwell'))
					: nodeFileSystem.readFile(path),
		};
		const database = await BuiltDatabase.open({
			dir,
			migrations: MIGRATIONS,
			snapshotIn: 'worker',
			fileSystem,
		});
		insertItem(database, 'one');
		failReads = true;
		const snapshot = database.snapshot();
		insertItem(database, 'during');
		await snapshot;
		insertItem(database, 'after');
		await database.close();
		const reopened = await sandbox.open(dir);
		expect(labels(reopened)).toEqual(['one', 'during', 'after']);
	});

	it('passes the bytes through a file system that is not the real one', async () => {
		const dir = await sandbox.tempDir();
		const { nodeFileSystem } = (await import(built)) as typeof Storage;
		const written: string[] = [];
		const fileSystem: Storage.StorageFileSystem = {
			...nodeFileSystem,
			rename: (from, to) => {
				written.push(to);
				return nodeFileSystem.rename(from, to);
			},
		};
		const database = await BuiltDatabase.open({
			dir,
			migrations: MIGRATIONS,
			snapshotIn: 'worker',
			fileSystem,
		});
		insertItem(database, 'through the seam');
		await database.snapshot();
		expect(written.some((path) => path.endsWith('snapshot.db'))).toBe(true);
		await database.close();
		expect(labels(await sandbox.open(dir))).toEqual(['through the seam']);
	});

	it('builds each snapshot on the one before it', async () => {
		const dir = await sandbox.tempDir();
		const database = await BuiltDatabase.open({
			dir,
			migrations: MIGRATIONS,
			snapshotIn: 'worker',
		});
		insertItem(database, 'one');
		await database.snapshot();
		insertItem(database, 'two');
		database.write((tx) => tx.run("DELETE FROM items WHERE label = 'one'"));
		await database.snapshot();
		insertItem(database, 'three');
		await database.close();
		expect(await fileNames(dir)).toEqual(['snapshot.db']);
		const reopened = await sandbox.open(dir);
		expect(labels(reopened)).toEqual(['two', 'three']);
	});
});
