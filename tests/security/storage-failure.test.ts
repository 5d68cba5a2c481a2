import { execFileSync } from 'node:child_process';
import { mkdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hostServer, type HostOptions } from '../../source/cli/host-server.js';
import type { RunningServer } from '../../source/server/chat-server.js';
import {
	nodeFileSystem,
	type StorageFile,
	type StorageFileSystem,
} from '../../source/storage/storage-file-system.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { testScrypt } from '../helpers/test-server.js';
import { killServerProcesses, startServerProcess } from './support/server-process.js';
import { readConversation } from './support/crash-model.js';
import { silentLogger } from '../../source/domain/logger.js';
import { captureLog, logEntriesIn, plainLines } from '../helpers/log-capture.js';

const password = 'correct horse battery';
const temps: TempDir[] = [];
const servers: RunningServer[] = [];
afterEach(async () => {
	for (const server of servers.splice(0)) await server.close().catch(() => undefined);
	for (const temp of temps.splice(0)) await temp.remove();
});

async function start(dataDir: string, options: Partial<HostOptions> = {}) {
	const server = await hostServer({
		dataDir,
		port: 0,
		rateLimit: 0,
		scrypt: testScrypt,
		log: silentLogger,
		...options,
	});
	servers.push(server);
	return server;
}

function diskFull(): NodeJS.ErrnoException {
	return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
}

/** Journal files whose `operation` fails once the disk is declared full. */
function failingJournal(operation: 'write' | 'datasync') {
	const disk = { full: false };
	const fail = <T>(call: () => Promise<T>) => (disk.full ? Promise.reject(diskFull()) : call());
	const fileSystem: StorageFileSystem = {
		...nodeFileSystem,
		async openFile(path, flags) {
			const file = await nodeFileSystem.openFile(path, flags);
			if (!path.endsWith('.log')) return file;
			const wrapped: StorageFile = {
				write: (...args) =>
					operation === 'write' ? fail(() => file.write(...args)) : file.write(...args),
				datasync: () => (operation === 'datasync' ? fail(() => file.datasync()) : file.datasync()),
				sync: () => file.sync(),
				truncate: (length) => file.truncate(length),
				stat: () => file.stat(),
				close: () => file.close(),
			};
			return wrapped;
		},
	};
	return { disk, fileSystem };
}

async function loggedIn(port: number, user: string, register = true): Promise<RawClient> {
	const client = await RawClient.connect(port);
	if (register)
		expect((await client.request('REG', user, { Password: password })).status).toBe(201);
	expect((await client.login(user, password)).status).toBe(200);
	return client;
}

describe('storage failing at runtime', () => {
	for (const operation of ['write', 'datasync'] as const) {
		it(`answers 500 and never 2xx once a journal ${operation} fails, and says so once`, async () => {
			const temp = await makeTempDir();
			temps.push(temp);
			const { disk, fileSystem } = failingJournal(operation);
			const { log: logsLog, entries: logsEntries } = captureLog();
			const failures: Error[] = [];
			const server = await start(temp.dir, {
				storageFileSystem: fileSystem,
				log: logsLog,
				onStorageFailure: (error) => failures.push(error),
			});
			const alice = await loggedIn(server.port, 'alice');
			const saved = [];
			for (let index = 0; index < 3; index++) {
				const body = `saved ${index}`;
				expect((await alice.request('SEND', 'alice', {}, body)).status).toBe(202);
				saved.push(body);
			}

			disk.full = true;
			const other = await RawClient.connect(server.port);
			const answers = await Promise.all([
				alice.request('SEND', 'alice', {}, 'not saved'),
				alice.request('MK_GROUP', 'team'),
				alice.request('HISTORY', 'alice'),
				alice.request('PING'),
				other.request('REG', 'bob', { Password: password }),
				other.request('PING'),
			]);
			expect(answers.map((answer) => answer.status)).toEqual([500, 500, 500, 500, 500, 500]);
			expect(answers[0]!.json.error).toMatch(/storage failed/);
			expect(failures).toHaveLength(1);
			const afterStart = logsEntries.filter(
				(entry) => !['start', 'listening', 'control-socket'].includes(entry.event ?? ''),
			);
			expect(afterStart).toHaveLength(1);
			expect(afterStart[0]).toMatchObject({ event: 'storage-failed', level: 50 });
			expect(afterStart[0]!.msg).toMatch(
				/^storage failed, so every request is now answered 500: .*no space/,
			);
			await Promise.all([alice.close(), other.close()]);
			await expect(server.close()).rejects.toThrow(/no space left/);

			// What was acknowledged is on disk. A record whose fsync failed may be there too: that is
			// why the 500 says "may not have been done".
			const again = await start(temp.dir);
			const reader = await loggedIn(again.port, 'alice', false);
			const history = await reader.request('HISTORY', 'alice');
			const bodies = history.json.messages.map((m: any) => m.body);
			const possible = operation === 'write' ? [saved] : [saved, [...saved, 'not saved']];
			expect(possible).toContainEqual(bodies);
			expect((await reader.request('LIST_USER')).json.users).toEqual(['alice']);
			await reader.close();
		});
	}

	it('keeps answering 2xx when only a snapshot fails, and logs it', async () => {
		const temp = await makeTempDir();
		temps.push(temp);
		const { log: logsLog, messages: logs } = captureLog();
		const fileSystem: StorageFileSystem = {
			...nodeFileSystem,
			openFile: (path, flags) =>
				path.endsWith('.tmp') ? Promise.reject(diskFull()) : nodeFileSystem.openFile(path, flags),
		};
		const server = await start(temp.dir, {
			storageFileSystem: fileSystem,
			snapshotAfterBytes: 1024,
			log: logsLog,
		});
		const alice = await loggedIn(server.port, 'alice');
		for (let index = 0; index < 20; index++) {
			expect((await alice.request('SEND', 'alice', {}, `${index}`.padEnd(200, '.'))).status).toBe(
				202,
			);
		}
		await vi.waitFor(() => expect(logs.some((line) => /^snapshot failed/.test(line))).toBe(true));
		const failed = logs.filter((line) => !/^(korichat (0|listening)|admin socket on)/.test(line));
		expect(
			failed.every((line) => /^snapshot failed \(the journal still holds everything\)/.test(line)),
		).toBe(true);
		expect((await alice.request('SEND', 'alice', {}, 'still fine')).status).toBe(202);
		await alice.close();
	});
});

/** A tiny tmpfs for a real full disk; needs root and a mount that works here. */
function mountTmpfs(dir: string, size: string): boolean {
	try {
		execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

describe('a real full disk (tmpfs)', () => {
	it('exits non-zero with one log line saying why, keeps every 2xx, and recovers once there is room', async (context) => {
		const temp = await makeTempDir();
		temps.push(temp);
		const mountPoint = join(temp.dir, 'disk');
		await mkdir(mountPoint);
		if (!mountTmpfs(mountPoint, '3m')) {
			context.skip();
			return;
		}
		try {
			const dataDir = join(mountPoint, 'data');
			const server = await startServerProcess(dataDir, ['--rate-limit', '0']);
			const alice = await loggedIn(server.port, 'alice');
			const cookie = alice.cookie!;
			const saved: string[] = [];
			let status = 202;
			for (let index = 0; index < 200 && status === 202; index++) {
				const body = `${index} `.padEnd(60_000, 'x');
				status =
					(await alice.request('SEND', 'alice', {}, body).catch(() => undefined))?.status ?? 0;
				if (status === 202) saved.push(body);
			}
			expect(status).toBe(500);
			expect(saved.length).toBeGreaterThan(5);
			expect(await server.exited).toBe(1);
			expect(plainLines(server.stderr())).toEqual([]);
			const entries = logEntriesIn(server.stderr());
			const failures = entries.filter((entry) => entry.event === 'storage-failed');
			expect(failures).toEqual([
				expect.objectContaining({
					level: 50,
					msg: expect.stringMatching(/^storage failed, .*no space left on device/),
				}),
			]);
			expect(entries).toContainEqual(
				expect.objectContaining({ event: 'stop', reason: 'storage-failure' }),
			);
			await alice.close();

			// Restarting on the still-full disk serves every acknowledged message.
			const full = await startServerProcess(dataDir, ['--rate-limit', '0']);
			const reader = await RawClient.connect(full.port);
			reader.cookie = cookie;
			// Pages stop at about 1 MiB: read them all.
			const read = async () => (await readConversation(reader, 'alice')).map((m) => m.body);
			expect(await read()).toEqual(saved);
			await reader.close();
			// SIGTERM on the full disk: the final snapshot fails; the one line says what to do.
			expect(await full.stop()).toBe(1);
			expect(plainLines(full.stderr())).toEqual([
				expect.stringMatching(
					/^korichat: the disk holding .* is full, so the final snapshot was not written; every acknowledged change is in the journal .*Free some space there before starting again\.$/,
				),
			]);
			expect(logEntriesIn(full.stderr())).toContainEqual(
				expect.objectContaining({ event: 'stop-failed' }),
			);

			execFileSync('mount', ['-o', 'remount,size=16m', mountPoint]);
			const roomy = await startServerProcess(dataDir, ['--rate-limit', '0']);
			const writer = await RawClient.connect(roomy.port);
			writer.cookie = cookie;
			expect((await writer.request('SEND', 'alice', {}, 'room again')).status).toBe(202);
			const bodies = await readConversation(writer, 'alice');
			expect(bodies.map((m) => m.body)).toEqual([...saved, 'room again']);
			await writer.close();
			expect(await roomy.stop()).toBe(0);
		} finally {
			await killServerProcesses();
			execFileSync('umount', ['-l', mountPoint]);
			await rmdir(mountPoint).catch(() => undefined);
		}
	}, 60_000);
});
