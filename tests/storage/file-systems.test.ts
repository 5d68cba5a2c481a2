import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callingThreadFileSystem } from '../../source/storage/calling-thread-file-system.js';
import {
	isMissingFile,
	nodeFileSystem,
	syncDirectory,
	writeFully,
	type StorageFileSystem,
} from '../../source/storage/storage-file-system.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

// One contract for both ways the storage touches files: node's promise API (the event loop's,
// through libuv's pool) and the calling thread's (the snapshot worker's).
describe.each([
	['node promises', nodeFileSystem],
	['calling thread', callingThreadFileSystem],
] as [string, StorageFileSystem][])('storage file system: %s', (_name, fileSystem) => {
	let work: TempDir;
	let dir: string;
	beforeEach(async () => {
		work = await makeTempDir('korichat-fs-');
		dir = work.dir;
	});
	afterEach(() => work.remove());

	it('writes, syncs, appends, truncates and reads back a file', async () => {
		const path = join(dir, 'a.log');
		const file = await fileSystem.openFile(path, 'w');
		await writeFully(file, new TextEncoder().encode('hello world'), 11);
		await file.datasync();
		await file.truncate(5);
		expect((await file.stat()).size).toBe(5);
		await file.close();
		const appended = await fileSystem.openFile(path, 'a');
		expect((await appended.write(new TextEncoder().encode('!!'), 1, 1)).bytesWritten).toBe(1);
		await appended.sync();
		await appended.close();
		expect((await fileSystem.readFile(path)).toString()).toBe('hello!');
	});

	it('makes folders, lists, renames and unlinks, and syncs a folder', async () => {
		await fileSystem.mkdir(join(dir, 'x', 'y'));
		await fileSystem.mkdir(join(dir, 'x', 'y'));
		const file = await fileSystem.openFile(join(dir, 'x', 'one'), 'w');
		await file.close();
		await fileSystem.rename(join(dir, 'x', 'one'), join(dir, 'x', 'two'));
		expect((await fileSystem.readdir(join(dir, 'x'))).sort()).toEqual(['two', 'y']);
		await syncDirectory(fileSystem, join(dir, 'x'));
		await fileSystem.unlink(join(dir, 'x', 'two'));
		expect(await fileSystem.readdir(join(dir, 'x'))).toEqual(['y']);
	});

	it('rejects, never throws, for a missing file, with the error code the storage tests for', async () => {
		const missing = join(dir, 'missing');
		for (const attempt of [
			() => fileSystem.readFile(missing),
			() => fileSystem.openFile(missing, 'r'),
			() => fileSystem.unlink(missing),
			() => fileSystem.rename(missing, join(dir, 'other')),
			() => fileSystem.readdir(missing),
		]) {
			const result = attempt();
			expect(result).toBeInstanceOf(Promise);
			const error = await result.then(
				() => undefined,
				(reason: unknown) => reason,
			);
			expect(isMissingFile(error)).toBe(true);
		}
	});
});
