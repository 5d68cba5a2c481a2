import { execFileSync } from 'node:child_process';
import { open as openFile, mkdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
	nodeFileSystem,
	type StorageFile,
	type StorageFileSystem,
} from '../../source/storage/storage-file-system.js';
import { silentLogger } from '../../source/domain/logger.js';
import { hostServer } from '../../source/cli/host-server.js';
import { startMetricsHttp } from '../../source/operating/metrics-http.js';
import { PrometheusMetrics } from '../../source/operating/prometheus-metrics.js';
import { postgresForTests, type TestDatabase } from '../helpers/postgres.js';
import { RawClient } from '../helpers/raw-client.js';
import { testScrypt } from '../helpers/test-server.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { healthz, meteredChat, scrape } from './support/scrape.js';

type Chat = Awaited<ReturnType<typeof meteredChat>>;
const chats: Chat[] = [];
const temps: TempDir[] = [];
const databases: TestDatabase[] = [];
afterEach(async () => {
	for (const chat of chats.splice(0)) await chat.close().catch(() => undefined);
	for (const temp of temps.splice(0)) await temp.remove();
	for (const database of databases.splice(0)) await database.drop();
});

async function start(...args: Parameters<typeof meteredChat>): Promise<Chat> {
	const chat = await meteredChat(...args);
	chats.push(chat);
	return chat;
}

const diskFull = () =>
	Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** Every file the storage writes (the journal, or every file) fails with ENOSPC while `full`. */
function fillableDisk(which: 'journal' | 'every file') {
	const disk = { full: false };
	const failing = (path: string) => disk.full && (which === 'every file' || path.endsWith('.log'));
	const fileSystem: StorageFileSystem = {
		...nodeFileSystem,
		async openFile(path, flags) {
			const file = await nodeFileSystem.openFile(path, flags);
			const wrapped: StorageFile = {
				write: (...args) => (failing(path) ? Promise.reject(diskFull()) : file.write(...args)),
				datasync: () => (failing(path) ? Promise.reject(diskFull()) : file.datasync()),
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

const healthOf = async (chat: Chat) => (await healthz(chat.endpoint)).status;

describe('/healthz', () => {
	it('is 200 while storage takes writes, 503 with the reason on a full disk, 200 once there is room', async () => {
		const { disk, fileSystem } = fillableDisk('every file');
		const chat = await start({ storageFileSystem: fileSystem });
		const ann = await chat.user('ann');
		expect(await healthz(chat.endpoint)).toEqual({ status: 200, text: 'ok\n' });

		disk.full = true;
		await vi.waitFor(async () => expect(await healthOf(chat)).toBe(503), { timeout: 5000 });
		const unhealthy = await healthz(chat.endpoint);
		expect(unhealthy.text).toMatch(/^unhealthy: cannot write to the data folder .*ENOSPC.*\n$/);
		expect(unhealthy.text.trim().split('\n')).toHaveLength(1);
		expect((await scrape(chat.endpoint)).get('korichat_storage_writable')).toBe(0);
		// PING, the load balancer's check over CHAT/1.0, agrees.
		const ping = await ann.request('PING');
		expect(ping.status).toBe(503);
		expect(ping.text).toMatch(/ENOSPC/);

		disk.full = false;
		await vi.waitFor(async () => expect(await healthOf(chat)).toBe(200), { timeout: 5000 });
		expect((await ann.request('SEND', 'ann', {}, 'room again')).status).toBe(202);
	});

	it('is 503 once the store has failed, and stays so when the disk has room again', async () => {
		const { disk, fileSystem } = fillableDisk('journal');
		const chat = await start({ storageFileSystem: fileSystem });
		const ann = await chat.user('ann');
		expect(await healthOf(chat)).toBe(200);
		disk.full = true;
		expect((await ann.request('SEND', 'ann', {}, 'lost')).status).toBe(500);
		disk.full = false;
		await vi.waitFor(async () => expect(await healthOf(chat)).toBe(503), { timeout: 5000 });
		expect((await healthz(chat.endpoint)).text).toMatch(
			/^unhealthy: storage in .* failed and accepts no more writes: ENOSPC/,
		);
		// Later probes find the disk fine, but the store accepts no more writes: still 503.
		const probed = chat.server.store.probeWritable();
		await expect(probed).rejects.toThrow(/failed and accepts no more writes/);
		expect(await healthOf(chat)).toBe(503);
	});

	it('is 503 while no server runs behind the endpoint', async () => {
		const chat = await start();
		expect(await healthOf(chat)).toBe(200);
		await chat.server.close();
		expect(await healthz(chat.endpoint)).toEqual({
			status: 503,
			text: 'unhealthy: the chat server is not running\n',
		});
	});

	it('turns 503 on a real full disk (a tiny tmpfs), and 200 once there is room', async (context) => {
		const temp = await makeTempDir();
		temps.push(temp);
		const mountPoint = join(temp.dir, 'disk');
		await mkdir(mountPoint);
		try {
			execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mountPoint], {
				stdio: 'ignore',
			});
		} catch {
			console.warn('skipping the tmpfs full-disk test: mount -t tmpfs is not permitted here');
			context.skip();
			return;
		}
		const metrics = new PrometheusMetrics({ defaultMetrics: false });
		const endpoint = await startMetricsHttp({ host: '127.0.0.1', port: 0 }, metrics);
		const health = async () => (await healthz(endpoint)).status;
		try {
			const dataDir = join(mountPoint, 'data');
			const server = await hostServer({
				dataDir,
				port: 0,
				rateLimit: 0,
				scrypt: testScrypt,
				log: silentLogger,
				instruments: metrics,
				storageInstruments: metrics,
			});
			const ann = await RawClient.connect(server.port);
			expect((await ann.request('REG', 'ann', { Password: 'correct horse' })).status).toBe(201);
			expect((await ann.login('ann')).status).toBe(200);
			expect(await health()).toBe(200);
			const filler = join(mountPoint, 'filler');
			await fill(filler);
			await vi.waitFor(async () => expect(await health()).toBe(503), { timeout: 5000 });
			expect((await healthz(endpoint)).text).toMatch(
				new RegExp(
					`^unhealthy: cannot write to the data folder ${dataDir} .*no space left on device`,
				),
			);
			await rm(filler);
			await vi.waitFor(async () => expect(await health()).toBe(200), { timeout: 5000 });
			expect((await ann.request('SEND', 'ann', {}, 'room again')).status).toBe(202);
			await ann.close();
			await server.close();
		} finally {
			await endpoint.close();
			execFileSync('umount', ['-l', mountPoint]);
			await rmdir(mountPoint).catch(() => undefined);
		}
	});
});

/** Writes `path` until the disk is full. */
async function fill(path: string): Promise<void> {
	const file = await openFile(path, 'w');
	const chunk = Buffer.alloc(64 * 1024, 1);
	try {
		for (;;) await file.write(chunk);
	} catch (error) {
		expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
	} finally {
		await file.close();
	}
	// The last partial block too, so not even a small file fits.
	const tail = await openFile(path, 'a');
	try {
		for (let size = 4096; size >= 1; size /= 2) {
			await tail.write(Buffer.alloc(size, 1)).catch(() => undefined);
		}
	} finally {
		await tail.close();
	}
}

const pg = await postgresForTests();

describe.skipIf(!pg.available)('/metrics and /healthz on PostgreSQL', () => {
	it('counts SENDs and queue depth, and turns 503 while the database is read-only', async () => {
		const database = await pg.createDatabase();
		databases.push(database);
		const chat = await start({ storeUrl: database.url }, { queueDepthMaxAgeMs: 0 });
		const ann = await chat.user('ann');
		await chat.register('bob');
		const before = await scrape(chat.endpoint);
		for (let index = 0; index < 50; index++) {
			expect((await ann.request('SEND', 'bob', {}, `m${index}`)).status).toBe(202);
		}
		const after = await scrape(chat.endpoint);
		expect(
			after.count('korichat_messages_stored_total') -
				before.count('korichat_messages_stored_total'),
		).toBe(50);
		// For bob and for ann's other devices.
		expect(after.get('korichat_queue_depth')).toBe(100);
		expect(await healthz(chat.endpoint)).toEqual({ status: 200, text: 'ok\n' });

		const admin = postgres(database.url, { max: 1, onnotice: () => undefined });
		const reconnectAll = () => admin`
			SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = ${database.name} AND pid <> pg_backend_pid()`;
		try {
			await admin`ALTER DATABASE ${admin(database.name)} SET default_transaction_read_only = on`;
			await reconnectAll();
			await vi.waitFor(async () => expect((await healthz(chat.endpoint)).status).toBe(503), {
				timeout: 8000,
			});
			// The pool's connections were cut first; then they come back read-only.
			await vi.waitFor(
				async () => expect((await healthz(chat.endpoint)).text).toMatch(/read-only transaction/),
				{ timeout: 8000 },
			);

			await admin`ALTER DATABASE ${admin(database.name)} RESET default_transaction_read_only`;
			await reconnectAll();
			await vi.waitFor(async () => expect((await healthz(chat.endpoint)).status).toBe(200), {
				timeout: 8000,
			});
		} finally {
			await admin.end({ timeout: 1 });
		}
		expect((await ann.request('SEND', 'bob', {}, 'writable again')).status).toBe(202);
		await chat.close();
	});
});
