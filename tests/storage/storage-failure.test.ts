import { describe, expect, it, vi } from 'vitest';
import {
	StorageFailedError,
	nodeFileSystem,
	type StorageFileSystem,
} from '../../source/storage/journaled-database.js';
import { insertItem, labels, useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();

function diskFull(): NodeJS.ErrnoException {
	return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** Journal files whose datasync or write fails once `failing` is set. */
function faultyDisk(operation: 'datasync' | 'write') {
	const state = { failing: false };
	const fileSystem: StorageFileSystem = {
		...nodeFileSystem,
		openFile: async (path, flags) => {
			const file = await nodeFileSystem.openFile(path, flags);
			if (!path.endsWith('.log')) return file;
			return {
				write: (...args) =>
					state.failing && operation === 'write' ? Promise.reject(diskFull()) : file.write(...args),
				datasync: () =>
					state.failing && operation === 'datasync' ? Promise.reject(diskFull()) : file.datasync(),
				sync: () => file.sync(),
				truncate: (length) => file.truncate(length),
				stat: () => file.stat(),
				close: () => file.close(),
			};
		},
	};
	return { fileSystem, state };
}

describe('a failing journal', () => {
	for (const operation of ['datasync', 'write'] as const) {
		it(`fails the store when ${operation} fails`, async () => {
			const dir = await sandbox.tempDir();
			const disk = faultyDisk(operation);
			const database = await sandbox.open(dir, { fileSystem: disk.fileSystem });
			insertItem(database, 'safe');
			await database.durable();

			disk.state.failing = true;
			insertItem(database, 'lost');
			const first = database.durable();
			const second = database.durable();
			await expect(first).rejects.toThrow(StorageFailedError);
			await expect(second).rejects.toThrow(/no space left on device/);
			expect(() => insertItem(database, 'refused')).toThrow(StorageFailedError);
			await expect(database.durable()).rejects.toThrow(StorageFailedError);
			await expect(database.snapshot()).rejects.toThrow(StorageFailedError);
			await expect(database.close()).rejects.toThrow(StorageFailedError);

			const recovered = await sandbox.open(await sandbox.crashImage(dir));
			expect(labels(recovered)[0]).toBe('safe');
		});
	}

	it('keeps the store working when a snapshot cannot be written', async () => {
		const dir = await sandbox.tempDir();
		const disk = { full: true };
		const fileSystem: StorageFileSystem = {
			...nodeFileSystem,
			openFile: (path, flags) =>
				disk.full && path.endsWith('.tmp')
					? Promise.reject(diskFull())
					: nodeFileSystem.openFile(path, flags),
		};
		const database = await sandbox.open(dir, { fileSystem });
		insertItem(database, 'before the failed snapshot');
		await expect(database.snapshot()).rejects.toThrow(/no space left/);
		insertItem(database, 'after the failed snapshot');
		await database.durable();
		expect(labels(await sandbox.open(await sandbox.crashImage(dir)))).toEqual([
			'before the failed snapshot',
			'after the failed snapshot',
		]);
		disk.full = false;
		await database.snapshot();
		expect(database.stats.snapshots).toBe(1);
	});

	it('reports a failed automatic snapshot without failing the store', async () => {
		const dir = await sandbox.tempDir();
		const fileSystem: StorageFileSystem = {
			...nodeFileSystem,
			openFile: (path, flags) =>
				path.endsWith('.tmp') ? Promise.reject(diskFull()) : nodeFileSystem.openFile(path, flags),
		};
		const errors: unknown[] = [];
		const database = await sandbox.open(dir, {
			fileSystem,
			snapshotAfterBytes: 1024,
			onSnapshotError: (error) => errors.push(error),
		});
		for (let index = 0; index < 50; index++) insertItem(database, `row ${index}`.padEnd(80, '-'));
		await database.durable();
		await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
		insertItem(database, 'still writable');
		await database.durable();
	});
});
