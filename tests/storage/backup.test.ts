import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backupChatStore, BackupError, restoreBackup } from '../../source/storage/backup.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { searchIndexGeneration } from '../../source/storage/search-index-checkpoints.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { loadSqlJs } from '../../source/storage/sql-connection.js';
import {
	nodeFileSystem,
	type StorageFileSystem,
} from '../../source/storage/storage-file-system.js';
import { openPostgresStore } from '../../source/storage/postgres/open-postgres-store.js';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { postgresForTests } from '../helpers/postgres.js';
import { contents, halfTransactions, makeCrew, sendToCrew, type Contents } from './backup-kit.js';
import { fileNames, useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const stores: SqlChatStore[] = [];
const children: CliProcess[] = [];

afterEach(async () => {
	for (const store of stores.splice(0)) await store.close().catch(() => undefined);
	for (const cli of children.splice(0)) {
		cli.child.kill('SIGKILL');
		await cli.exited;
	}
});

async function open(dir: string, options: Parameters<typeof openChatStore>[1] = {}) {
	const store = await openChatStore(dir, options);
	stores.push(store);
	return store;
}

async function close(store: SqlChatStore): Promise<void> {
	stores.splice(stores.indexOf(store), 1);
	await store.close();
}

/** What a server started on `dir` would see. */
async function contentsOf(dir: string): Promise<Contents> {
	const store = await open(dir);
	try {
		return contents(store);
	} finally {
		await close(store);
	}
}

/** A backup file of a store with users, a group and `count` messages; returns it and its contents. */
async function makeBackup(count = 40, label = 'backed up') {
	const store = await open(await sandbox.tempDir());
	await sendToCrew(store, await makeCrew(store), count, label);
	const file = join(await sandbox.tempDir(), 'chat.backup');
	await backupChatStore(store, file);
	const expected = contents(store);
	await close(store);
	return { file, expected };
}

/** A folder whose data is a snapshot plus journals of several generations, as a crash leaves it. */
async function folderWithData(label: string): Promise<{ dir: string; expected: Contents }> {
	const store = await open(await sandbox.tempDir());
	const group = await makeCrew(store, 'old crew');
	for (let round = 0; round < 3; round++) {
		await sendToCrew(store, group, 10, `${label} ${round}`);
		await store.db.snapshot();
	}
	await sendToCrew(store, group, 5, `${label} journal`);
	await store.whenDurable();
	const expected = contents(store);
	const dir = await sandbox.crashImage(store.db.directory);
	await close(store);
	return { dir, expected };
}

/** The folder's files but its lock. */
async function dataFiles(dir: string): Promise<string[]> {
	return (await fileNames(dir)).filter((name) => !name.startsWith('korichat.lock'));
}

async function fileBytes(dir: string): Promise<Map<string, Buffer>> {
	const names = (await readdir(dir)).filter((name) => !name.startsWith('korichat.lock'));
	return new Map(
		await Promise.all(names.map(async (n) => [n, await readFile(join(dir, n))] as const)),
	);
}

describe('backupChatStore (in-thread snapshots, as under vitest)', () => {
	it('writes a copy that restores to exactly the store as of the backup, while writes go on', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir);
		const group = await makeCrew(store);
		await sendToCrew(store, group, 200, 'before');
		const file = join(await sandbox.tempDir(), 'chat.backup');

		const backup = backupChatStore(store, file);
		const during = sendToCrew(store, group, 50, 'during');
		const result = await backup;
		await during;

		expect(result.file).toBe(file);
		expect(result.bytes).toBe((await stat(file)).size);
		expect(result.lastMessageId).toBeGreaterThanOrEqual(200);
		expect(result.durationMs).toBeGreaterThan(0);
		const live = contents(store);
		expect(live.messages).toHaveLength(250);

		const restored = join(await sandbox.tempDir(), 'restored');
		await restoreBackup(file, restored);
		const copy = await open(restored);
		expect(contents(copy)).toEqual({
			users: live.users,
			messages: live.messages.filter((message) => message.id <= result.lastMessageId!),
		});
		expect(halfTransactions(copy)).toBe(0);
		// The live store lost nothing and goes on.
		await sendToCrew(store, group, 1, 'after');
		await close(store);
		expect((await contentsOf(dir)).messages).toHaveLength(251);
	});

	it('refuses a target inside the data folder, in a missing folder, or one that exists', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir);
		await makeCrew(store);
		await mkdir(join(dir, 'sub'));
		const outside = await sandbox.tempDir();
		const existing = join(outside, 'taken.backup');
		await writeFile(existing, 'keep me');
		const refusals: Array<[string, RegExp]> = [
			[join(dir, 'chat.backup'), /inside the data folder/],
			[join(dir, 'sub', 'chat.backup'), /inside the data folder/],
			[join(outside, 'missing', 'chat.backup'), /folder .*missing does not exist/],
			[existing, /taken\.backup exists; choose another name, or pass --overwrite to replace it/],
			[outside, /is a folder; name a file/],
		];
		for (const [target, message] of refusals) {
			const error = await backupChatStore(store, target).catch((caught: unknown) => caught);
			expect(error, target).toBeInstanceOf(BackupError);
			expect((error as Error).message).toMatch(message);
			expect((error as Error).message).not.toContain('\n');
		}
		expect(await readFile(existing, 'utf8')).toBe('keep me');
		expect(store.db.stats.snapshots).toBe(0);

		const replaced = await backupChatStore(store, existing, { overwrite: true });
		expect(replaced.bytes).toBe((await stat(existing)).size);
		expect(await fileNames(outside)).toEqual(['taken.backup']);
	});

	it('rejects a backup that cannot be written, leaving no temp file and the store unharmed', async () => {
		const dir = await sandbox.tempDir();
		const outside = await sandbox.tempDir();
		const fileSystem: StorageFileSystem = {
			...nodeFileSystem,
			rename: (from, to) =>
				to.startsWith(outside)
					? Promise.reject(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }))
					: nodeFileSystem.rename(from, to),
		};
		const store = await open(dir, { fileSystem });
		const group = await makeCrew(store);
		await sendToCrew(store, group, 20, 'kept');
		await expect(backupChatStore(store, join(outside, 'chat.backup'))).rejects.toThrow(/ENOSPC/);
		expect(await fileNames(outside)).toEqual([]);
		await sendToCrew(store, group, 1, 'after');
		await close(store);
		expect((await contentsOf(dir)).messages).toHaveLength(21);
	});
});

describe('restoreBackup', () => {
	it('fills a new folder with exactly the backup, and says what it restored', async () => {
		const { file, expected } = await makeBackup(40);
		const dir = join(await sandbox.tempDir(), 'new', 'data');
		const result = await restoreBackup(file, dir);
		expect(result).toMatchObject({
			dataDir: dir,
			users: 3,
			messages: 40,
			lastMessageId: 40,
			replaced: [],
		});
		expect(result.schemaVersion).toBeGreaterThan(0);
		expect((await stat(dir)).mode & 0o777).toBe(0o700);
		expect(await dataFiles(dir)).toEqual(['snapshot.db']);
		expect(await contentsOf(dir)).toEqual(expected);
	});

	it('refuses a folder holding data without force, naming the files, and changes nothing', async () => {
		const { file } = await makeBackup();
		const old = await folderWithData('old');
		const before = await fileBytes(old.dir);
		const error = await restoreBackup(file, old.dir).catch((caught: unknown) => caught);
		expect(error).toBeInstanceOf(BackupError);
		const journals = [...before.keys()].filter((name) => name.startsWith('journal.'));
		expect(journals.length).toBeGreaterThan(0);
		const names = ['snapshot.db', ...journals];
		// The search index's file is a cache of the data, not named as data.
		const data = [...before.keys()].filter((name) => searchIndexGeneration(name) === undefined);
		expect(data.sort()).toEqual([...names].sort());
		expect((error as Error).message).toBe(
			`${old.dir} already holds data (${names.join(', ')}); restore into an empty folder, or pass --force to replace it`,
		);
		expect(await fileBytes(old.dir)).toEqual(before);
		expect(await contentsOf(old.dir)).toEqual(old.expected);
	});

	it('with force replaces the old snapshot and journals: a server sees only the backup', async () => {
		const { file, expected } = await makeBackup(30, 'new');
		const old = await folderWithData('old');
		const oldFiles = await dataFiles(old.dir);
		const result = await restoreBackup(file, old.dir, { force: true });
		expect(oldFiles.some((name) => searchIndexGeneration(name) !== undefined)).toBe(true);
		expect([...result.replaced].sort()).toEqual(
			oldFiles.filter((name) => searchIndexGeneration(name) === undefined),
		);
		// The old data's search index goes with it.
		expect(await dataFiles(old.dir)).toEqual(['snapshot.db']);
		const seen = await contentsOf(old.dir);
		expect(seen).toEqual(expected);
		expect(seen.messages.some((message) => message.body.startsWith('old'))).toBe(false);
	});

	it('refuses a backup file that lies inside the folder it would replace', async () => {
		const { file } = await makeBackup();
		const old = await folderWithData('old');
		const inside = join(old.dir, 'chat.backup');
		await writeFile(inside, await readFile(file));
		const before = await fileBytes(old.dir);
		await expect(restoreBackup(inside, old.dir, { force: true })).rejects.toThrow(
			`${inside} is inside the data folder ${old.dir}: move it out first`,
		);
		expect(await fileBytes(old.dir)).toEqual(before);
	});

	it('refuses a folder a running server holds, naming its PID', async () => {
		const { file } = await makeBackup();
		const dir = await sandbox.tempDir();
		const server = runCli(['--serve', '--headless', '--port', '0', '--data', dir]);
		children.push(server);
		await server.listening;
		const error = await restoreBackup(file, dir, { force: true }).catch(
			(caught: unknown) => caught,
		);
		expect((error as Error).message).toBe(
			`${dir} is in use by another KoriChat server (pid ${server.child.pid}); stop it first`,
		);
	});

	it('refuses a file that is not an intact KoriChat backup of a known schema, in one line', async () => {
		const { file } = await makeBackup(400);
		const work = await sandbox.tempDir();
		const image = await readFile(file);
		const damaged = Buffer.from(image);
		damaged.fill(0x5a, 4096 * 2, 4096 * 4);
		const sql = await loadSqlJs();
		const newer = new sql.Database(image);
		newer.exec('PRAGMA user_version = 99');
		const foreign = new sql.Database();
		foreign.exec('CREATE TABLE notes (text TEXT); PRAGMA user_version = 3');
		const cases: Array<[string, Uint8Array | undefined, RegExp]> = [
			['missing.backup', undefined, /^cannot read the backup .*missing\.backup \(ENOENT\)$/],
			[
				'garbage.backup',
				Buffer.from('this is not a database at all '.repeat(200)),
				/is not a KoriChat backup \(file is not a database\)$/,
			],
			[
				'empty.backup',
				new Uint8Array(0),
				/is not a KoriChat backup \(no users, groups, messages table\)$/,
			],
			['truncated.backup', image.subarray(0, 4096 * 3), /is not a KoriChat backup \(/],
			['damaged.backup', damaged, /is not a KoriChat backup \(/],
			[
				'foreign.backup',
				foreign.export(),
				/is not a KoriChat backup \(no users, groups, messages table\)$/,
			],
			[
				'newer.backup',
				newer.export(),
				/newer\.backup has schema version 99 but this KoriChat knows only up to \d+: restore it with the newer KoriChat that wrote it$/,
			],
		];
		newer.close();
		foreign.close();
		for (const [name, bytes, message] of cases) {
			const path = join(work, name);
			if (bytes) await writeFile(path, bytes);
			const dir = join(work, `data-${name}`);
			const error = await restoreBackup(path, dir, { force: true }).catch(
				(caught: unknown) => caught,
			);
			expect(error, name).toBeInstanceOf(BackupError);
			expect((error as Error).message, name).toMatch(message);
			expect((error as Error).message, name).not.toContain('\n');
			// Nothing was made: the folder was never created.
			await expect(stat(dir), name).rejects.toThrow(/ENOENT/);
		}
	});
});

/** A file system that dies after `operations` operations: that one and every later one fail, as after a kill. */
function dyingAfter(operations: number) {
	let left = operations;
	const state = { dead: false };
	const step = <T>(run: () => Promise<T>): Promise<T> => {
		if (state.dead || left-- <= 0) {
			state.dead = true;
			return Promise.reject(new Error('the process died here'));
		}
		return run();
	};
	const fileSystem: StorageFileSystem = {
		openFile: (path, flags) =>
			step(async () => {
				const handle = await nodeFileSystem.openFile(path, flags);
				return {
					write: (buffer, offset, length) => step(() => handle.write(buffer, offset, length)),
					datasync: () => step(() => handle.datasync()),
					sync: () => step(() => handle.sync()),
					truncate: (length) => step(() => handle.truncate(length)),
					stat: () => step(() => handle.stat()),
					// Closed for real either way: a dead process's files are closed by the kernel.
					close: () => handle.close().then(() => step(() => Promise.resolve())),
				};
			}),
		readFile: (path) => step(() => nodeFileSystem.readFile(path)),
		readdir: (path) => step(() => nodeFileSystem.readdir(path)),
		rename: (from, to) => step(() => nodeFileSystem.rename(from, to)),
		unlink: (path) => step(() => nodeFileSystem.unlink(path)),
		mkdir: (path) => step(() => nodeFileSystem.mkdir(path)),
	};
	return { fileSystem, state };
}

describe('restoreBackup cut short', () => {
	it('leaves the folder old or new at every step, never broken', async () => {
		const { file, expected: fresh } = await makeBackup(30, 'new');
		const old = await folderWithData('old');
		const outcomes: string[] = [];
		for (let survive = 0; survive < 100; survive++) {
			const dir = await sandbox.crashImage(old.dir);
			const dying = dyingAfter(survive);
			const finished = await restoreBackup(file, dir, {
				force: true,
				fileSystem: dying.fileSystem,
			}).then(
				() => true,
				(error: unknown) => {
					if (!dying.state.dead) throw error;
					return false;
				},
			);
			const now = JSON.stringify(await contentsOf(dir));
			const state =
				now === JSON.stringify(old.expected)
					? 'old'
					: now === JSON.stringify(fresh)
						? 'new'
						: 'broken';
			expect(state, `cut after ${survive} operations`).not.toBe('broken');
			outcomes.push(state);
			if (finished) break;
		}
		expect(outcomes.at(-1)).toBe('new');
		// Cut early it is the old folder, late the new one, and once new it stays new.
		expect(outcomes[0]).toBe('old');
		const firstNew = outcomes.indexOf('new');
		expect(outcomes.slice(firstNew).every((state) => state === 'new')).toBe(true);
		expect(outcomes.slice(0, firstNew).every((state) => state === 'old')).toBe(true);
	});
});

const pg = await postgresForTests();

describe.skipIf(!pg.available)('backupChatStore on PostgreSQL', () => {
	it('refuses in one line, pointing at pg_dump', async () => {
		const database = await pg.createDatabase();
		const store = await openPostgresStore(database.url);
		try {
			const file = join(await sandbox.tempDir(), 'chat.backup');
			await expect(backupChatStore(store, file)).rejects.toThrow(
				'this server keeps its data in PostgreSQL: back it up with pg_dump (see docs/operating.md "Backups")',
			);
			await expect(stat(file)).rejects.toThrow(/ENOENT/);
		} finally {
			await store.close();
			await database.drop();
		}
	});
});
