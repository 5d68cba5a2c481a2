import { appendFile, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	StorageCorruptError,
	nodeFileSystem,
	type StorageFileSystem,
} from '../../source/storage/journaled-database.js';
import { fileNames, insertItem, journalFile, labels, useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();

/** A folder whose journal.0.log holds the migration plus `count` durable inserts, as left by a crash. */
async function crashedFolder(count: number): Promise<string> {
	const dir = await sandbox.tempDir();
	const database = await sandbox.open(dir);
	for (let index = 0; index < count; index++) {
		insertItem(database, `item ${index}`);
		await database.durable();
	}
	return sandbox.crashImage(dir);
}

/**
 * A file system whose `operation`, once armed, hangs until released (then fails), freezing a
 * snapshot at that step; `reached` resolves when the snapshot gets there.
 */
function stalling(operation: 'rename' | 'unlink') {
	let armed = false;
	let release = (): void => undefined;
	let arrive = (): void => undefined;
	const reached = new Promise<void>((resolve) => (arrive = resolve));
	const stalled = new Promise<void>((_resolve, reject) => {
		release = () => reject(new Error('released'));
	});
	stalled.catch(() => undefined);
	const real = nodeFileSystem[operation] as (...args: string[]) => Promise<void>;
	const fileSystem: StorageFileSystem = {
		...nodeFileSystem,
		[operation]: (...args: string[]) => {
			if (!armed) return real(...args);
			arrive();
			return stalled;
		},
	};
	return {
		fileSystem,
		reached,
		arm: () => {
			armed = true;
		},
		release: () => release(),
	};
}

describe('recovery on open', () => {
	it('drops a torn last record and keeps the ones before it', async () => {
		const dir = await crashedFolder(5);
		const size = (await stat(journalFile(dir, 0))).size;
		await truncate(journalFile(dir, 0), size - 3);
		const database = await sandbox.open(dir);
		expect(labels(database)).toEqual(['item 0', 'item 1', 'item 2', 'item 3']);
		insertItem(database, 'appended after repair');
		await database.durable();
		expect(labels(await sandbox.open(await sandbox.crashImage(dir)))).toEqual([
			'item 0',
			'item 1',
			'item 2',
			'item 3',
			'appended after repair',
		]);
	});

	it('drops a half-written record appended after the last good one', async () => {
		const dir = await crashedFolder(3);
		const goodSize = (await stat(journalFile(dir, 0))).size;
		const half = Buffer.alloc(12);
		half.writeUInt32LE(400, 0);
		await appendFile(journalFile(dir, 0), half);
		const database = await sandbox.open(dir);
		expect(labels(database)).toEqual(['item 0', 'item 1', 'item 2']);
		expect((await stat(journalFile(dir, 0))).size).toBe(goodSize);
	});

	it('refuses to open when a record in the middle is damaged', async () => {
		const dir = await crashedFolder(5);
		const bytes = await readFile(journalFile(dir, 0));
		bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
		await writeFile(journalFile(dir, 0), bytes);
		const opening = sandbox.open(dir);
		await expect(opening).rejects.toThrow(StorageCorruptError);
		await expect(opening).rejects.toThrow(/journal\.0\.log is corrupt.*refusing to open/);
	});

	it('refuses a snapshot that is not a database', async () => {
		const dir = await sandbox.tempDir();
		await writeFile(
			join(dir, 'snapshot.db'),
			'this is not SQLite, only some text long enough to look',
		);
		await expect(sandbox.open(dir)).rejects.toThrow(/snapshot\.db cannot be read/);
	});

	it('removes a stray temp snapshot', async () => {
		const dir = await crashedFolder(2);
		await writeFile(join(dir, 'snapshot.db.tmp'), 'half a database');
		const database = await sandbox.open(dir);
		expect(labels(database)).toEqual(['item 0', 'item 1']);
		expect(await fileNames(dir)).not.toContain('snapshot.db.tmp');
	});

	it('accepts a zero-length journal', async () => {
		const dir = await sandbox.tempDir();
		await writeFile(journalFile(dir, 0), '');
		const database = await sandbox.open(dir);
		insertItem(database, 'into the empty journal');
		await database.durable();
		expect(labels(await sandbox.open(await sandbox.crashImage(dir)))).toEqual([
			'into the empty journal',
		]);
	});

	it('recovers a crash after the journal rotated but before the snapshot was renamed', async () => {
		const original = await sandbox.tempDir();
		const setup = await sandbox.open(original);
		insertItem(setup, 'in snapshot 1');
		await setup.snapshot();
		insertItem(setup, 'in journal 1');
		await setup.durable();
		const dir = await sandbox.crashImage(original);

		const stall = stalling('rename');
		const database = await sandbox.open(dir, { fileSystem: stall.fileSystem });
		stall.arm();
		void database.snapshot().catch(() => undefined);
		await stall.reached;
		insertItem(database, 'in journal 2');
		await database.durable();
		const image = await sandbox.crashImage(dir);
		stall.release();
		expect(await fileNames(image)).toEqual([
			'journal.1.log',
			'journal.2.log',
			'snapshot.db',
			'snapshot.db.tmp',
		]);

		const recovered = await sandbox.open(image);
		expect(labels(recovered)).toEqual(['in snapshot 1', 'in journal 1', 'in journal 2']);
		expect(await fileNames(image)).toEqual(['journal.1.log', 'journal.2.log', 'snapshot.db']);
	});

	it('recovers a crash after the snapshot was renamed but before old journals were deleted', async () => {
		const dir = await sandbox.tempDir();
		const stall = stalling('unlink');
		const database = await sandbox.open(dir, { fileSystem: stall.fileSystem });
		insertItem(database, 'before snapshot');
		await database.durable();
		stall.arm();
		void database.snapshot().catch(() => undefined);
		await stall.reached;
		insertItem(database, 'after snapshot');
		await database.durable();
		const image = await sandbox.crashImage(dir);
		stall.release();
		expect(await fileNames(image)).toEqual(['journal.0.log', 'journal.1.log', 'snapshot.db']);

		const recovered = await sandbox.open(image);
		expect(recovered.all('SELECT id, label FROM items ORDER BY id')).toEqual([
			{ id: 1, label: 'before snapshot' },
			{ id: 2, label: 'after snapshot' },
		]);
		expect(await fileNames(image)).toEqual(['journal.1.log', 'snapshot.db']);
	});
});
