import { spawn, spawnSync } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
	DataFolderInUseError,
	lockDataFolder,
	processStartTime,
	type DataFolderLock,
} from '../../source/storage/data-folder-lock.js';
import { DataFolderError, openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

const temps: TempDir[] = [];
const stores: SqlChatStore[] = [];
const locks: DataFolderLock[] = [];

afterEach(async () => {
	for (const store of stores.splice(0)) await store.close().catch(() => undefined);
	for (const lock of locks.splice(0)) await lock.release();
	for (const temp of temps.splice(0)) await temp.remove();
});

async function tempDir(): Promise<string> {
	const temp = await makeTempDir('korichat-lock-');
	temps.push(temp);
	return temp.dir;
}

async function open(dir: string): Promise<SqlChatStore> {
	const store = await openChatStore(dir);
	stores.push(store);
	return store;
}

const lockFiles = async (dir: string) =>
	(await readdir(dir)).filter((name) => name.startsWith('korichat.lock')).sort();

/** A PID that certainly belonged to a process which has exited. */
function deadPid(): number {
	const child = spawnSync(process.execPath, ['-e', '']);
	return child.pid;
}

const user = (name: string) => ({
	name,
	displayName: name,
	passwordHash: 'hash',
	createdAt: '2026-01-01T00:00:00.000Z',
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
	for (let tries = 0; tries < 200 && !(await condition()); tries++) {
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

async function writeLock(dir: string, generation: number, record: object): Promise<void> {
	await writeFile(join(dir, `korichat.lock.${generation}`), JSON.stringify(record));
}

describe('the data folder lock', () => {
	it('refuses a second store on a folder in use, naming the holder, and loses nothing', async () => {
		const dir = await tempDir();
		const first = await open(dir);
		await first.createUser(user('ana'));
		const refusal = openChatStore(dir);
		await expect(refusal).rejects.toThrow(DataFolderInUseError);
		await expect(refusal).rejects.toThrow(
			`${dir} is in use by another KoriChat server (pid ${process.pid}); stop it first`,
		);
		// The first store is untouched and keeps working.
		await first.createUser(user('bo'));
		await first.close();
		const reopened = await open(dir);
		expect(await reopened.findUser('ana')).toBeDefined();
		expect(await reopened.findUser('bo')).toBeDefined();
	});

	it('is released when the store closes, so a restart in the same process works', async () => {
		const dir = await tempDir();
		for (let round = 0; round < 3; round++) {
			const store = await openChatStore(dir);
			await store.close();
		}
		const [file] = await lockFiles(dir);
		expect(JSON.parse(await readFile(join(dir, file!), 'utf8'))).toMatchObject({
			pid: process.pid,
			released: true,
		});
		expect(await lockFiles(dir)).toHaveLength(1);
		await open(dir);
	});

	it('takes over the lock of a process that is gone, and drops the stale file', async () => {
		const dir = await tempDir();
		await writeLock(dir, 7, {
			pid: deadPid(),
			startTime: '1',
			host: hostname(),
			folder: null,
			token: 'old',
		});
		await open(dir);
		expect(await lockFiles(dir)).toEqual(['korichat.lock.8']);
		await expect(openChatStore(dir)).rejects.toThrow(DataFolderInUseError);
	});

	it('takes over a lock whose PID now belongs to another process (PID reuse)', async () => {
		const dir = await tempDir();
		const startTime = processStartTime(process.ppid);
		if (startTime === null) return; // No /proc here: PID reuse cannot be told apart.
		const record = {
			pid: process.ppid,
			startTime: `${startTime}9`,
			host: hostname(),
			folder: null,
			token: 'x',
		};
		await writeLock(dir, 1, record);
		await open(dir);
		expect(await lockFiles(dir)).toEqual(['korichat.lock.2']);
	});

	it('respects a lock held by another live process with the same start time', async () => {
		const dir = await tempDir();
		const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
		try {
			const pid = holder.pid!;
			await writeLock(dir, 1, {
				pid,
				startTime: processStartTime(pid),
				host: hostname(),
				folder: null,
				token: 'live',
			});
			await expect(openChatStore(dir)).rejects.toThrow(`(pid ${pid}); stop it first`);
			holder.kill('SIGKILL');
			await new Promise((resolve) => holder.once('exit', resolve));
			await open(dir);
		} finally {
			holder.kill('SIGKILL');
		}
	});

	it('takes over the lock of a killed process its parent has not reaped (a zombie)', async () => {
		const dir = await tempDir();
		// `sleep` never waits for the child it inherits from the shell, so that child stays a zombie.
		const parent = spawn('sh', ['-c', 'sleep 30 & echo $!; exec sleep 60']);
		try {
			const pid = Number(
				await new Promise<string>((resolve) =>
					parent.stdout.once('data', (chunk) => resolve(`${chunk}`)),
				),
			);
			const startTime = processStartTime(pid);
			if (startTime === null) return; // No /proc here.
			await writeLock(dir, 1, { pid, startTime, host: hostname(), folder: null, token: 'z' });
			await expect(openChatStore(dir)).rejects.toThrow(`(pid ${pid})`);
			process.kill(pid, 'SIGKILL');
			await waitFor(async () => (await readFile(`/proc/${pid}/stat`, 'utf8')).includes(') Z '));
			await open(dir);
		} finally {
			parent.kill('SIGKILL');
		}
	});

	it('does not mistake a copied folder (a crash image) for one this process holds', async () => {
		const dir = await tempDir();
		const store = await open(dir);
		await store.createUser(user('ana'));
		await store.close();
		await open(dir);
		const image = await tempDir();
		await cp(dir, image, { recursive: true });
		const copy = await open(image);
		expect(await copy.findUser('ana')).toBeDefined();
	});

	it('treats an unreadable lock file as stale', async () => {
		const dir = await tempDir();
		await writeFile(join(dir, 'korichat.lock.3'), 'not json');
		await open(dir);
		expect(await lockFiles(dir)).toEqual(['korichat.lock.4']);
	});

	it('says in one line when the lock cannot be read, and opens nothing', async () => {
		const dir = await tempDir();
		await mkdir(join(dir, 'korichat.lock.1'));
		await expect(openChatStore(dir)).rejects.toThrow(
			new DataFolderError(`cannot lock the data folder ${dir} (EISDIR)`),
		);
		expect(await readdir(dir)).toEqual(['korichat.lock.1']);
	});

	it('lets exactly one of many racing takers win, over a stale lock too', async () => {
		for (const stale of [false, true]) {
			const dir = await tempDir();
			if (stale)
				await writeLock(dir, 1, {
					pid: deadPid(),
					startTime: null,
					host: hostname(),
					folder: null,
					token: 's',
				});
			const results = await Promise.allSettled(
				Array.from({ length: 12 }, () => lockDataFolder(dir)),
			);
			const won = results.filter((result) => result.status === 'fulfilled');
			expect(won).toHaveLength(1);
			for (const result of results) {
				if (result.status === 'rejected')
					expect(result.reason).toBeInstanceOf(DataFolderInUseError);
				else locks.push(result.value);
			}
		}
	});
});
