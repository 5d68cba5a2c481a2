import { createHash } from 'node:crypto';
import { appendFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { copyDataFolder, makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { runCli } from '../helpers/cli-process.js';
import { killServerProcesses, startServerProcess } from './support/server-process.js';

// Small snapshots, so the seeded folder holds a snapshot and a newer journal, as a busy one does.
const snapshotAfter = ['--snapshot-after', '2048'];
const password = 'correct horse battery';

let temp: TempDir;
let seeded: string;
let cookie: string;
const acknowledged: string[] = [];

/** A folder as a kill -9 leaves it: a snapshot, a journal after it, 35 acknowledged messages. */
beforeAll(async () => {
	temp = await makeTempDir('korichat-damaged-');
	seeded = join(temp.dir, 'seeded');
	const server = await startServerProcess(seeded, snapshotAfter);
	const client = await RawClient.connect(server.port);
	await client.request('REG', 'alice', { Password: password });
	await client.login('alice', password);
	cookie = client.cookie!;
	for (let index = 0; index < 30; index++) {
		const body = `message ${index} ${'·'.repeat(100)}`;
		expect((await client.request('SEND', 'alice', {}, body)).status).toBe(202);
		acknowledged.push(body);
	}
	// Snapshots run in the background: wait for one, and for a journal after it to hold records.
	for (let wait = 0; wait < 100 && !(await readdir(seeded)).includes('snapshot.db'); wait++) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	for (let index = 30; index < 35; index++) {
		const body = `message ${index} after the snapshot`;
		expect((await client.request('SEND', 'alice', {}, body)).status).toBe(202);
		acknowledged.push(body);
	}
	// Not in the middle of a snapshot: a start removes a stray temp one, which the refusals below
	// would see as a change to the files (its own test is "recovers from a stray temp snapshot").
	for (let wait = 0; wait < 100 && (await readdir(seeded)).includes('snapshot.db.tmp'); wait++) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	await server.kill9();
	await client.close();
	expect(await readdir(seeded)).toContain('snapshot.db');
});
afterAll(async () => {
	await killServerProcesses();
	await temp.remove();
});

let cases = 0;
async function copySeeded(): Promise<{ dir: string; journal: string; generation: number }> {
	const dir = join(temp.dir, `case-${cases++}`);
	await copyDataFolder(seeded, dir);
	const generations = (await readdir(dir))
		.map((name) => /^journal\.(\d+)\.log$/.exec(name)?.[1])
		.filter((generation) => generation !== undefined)
		.map(Number)
		.sort((a, b) => a - b);
	const generation = generations.at(-1)!;
	return { dir, generation, journal: join(dir, `journal.${generation}.log`) };
}

async function fingerprint(dir: string): Promise<Record<string, string>> {
	const files: Record<string, string> = {};
	for (const name of (await readdir(dir)).sort()) {
		// The folder's lock (data-folder-lock.ts) is not data: a refused start takes and releases it.
		if (name.startsWith('korichat.lock.')) continue;
		files[name] = createHash('sha256')
			.update(await readFile(join(dir, name)))
			.digest('hex');
	}
	return files;
}

/** Starts the server on `dir` and checks that every acknowledged message is there, once. */
async function expectRecovered(dir: string): Promise<void> {
	const server = await startServerProcess(dir, snapshotAfter);
	try {
		const client = await RawClient.connect(server.port);
		client.cookie = cookie;
		const history = await client.request('HISTORY', 'alice', { Limit: '500' });
		expect(history.status).toBe(200);
		expect(history.json.messages.map((m: any) => m.body)).toEqual(acknowledged);
		// And it takes writes that survive the next crash.
		expect((await client.request('SEND', 'alice', {}, 'after recovery')).status).toBe(202);
		await server.kill9();
		await client.close();
	} finally {
		await server.kill9();
	}
	const again = await startServerProcess(dir, snapshotAfter);
	const client = await RawClient.connect(again.port);
	client.cookie = cookie;
	const bodies = (await client.request('HISTORY', 'alice', { Limit: '500' })).json.messages.map(
		(m: any) => m.body,
	);
	expect(bodies).toEqual([...acknowledged, 'after recovery']);
	await client.close();
	await again.kill9();
}

/** Starts the server on `dir` and expects one clear line, a non-zero exit, and untouched files. */
async function expectRefused(dir: string, pattern: RegExp): Promise<void> {
	const before = await fingerprint(dir);
	const cli = runCli(['--serve', '--headless', '--port', '0', '--data', dir, ...snapshotAfter]);
	expect(await cli.exited).not.toBe(0);
	const lines = cli.stderr().trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^korichat: /);
	expect(lines[0]).toMatch(pattern);
	expect(cli.stdout()).toBe('');
	expect(await fingerprint(dir)).toEqual(before);
}

describe('a data folder left damaged', () => {
	it('recovers from a torn last record (a write cut short by the crash)', async () => {
		const { dir, journal } = await copySeeded();
		// If the torn bytes were not cut off, the next record would follow garbage and be refused.
		await appendFile(journal, Buffer.from([0x80, 0, 0, 0, 1, 2, 3, 4, 0, 9, 9]));
		await expectRecovered(dir);
	});

	it('recovers from a stray temp snapshot (a crash mid-snapshot) and removes it', async () => {
		const { dir } = await copySeeded();
		await writeFile(join(dir, 'snapshot.db.tmp'), 'half a snapshot');
		await expectRecovered(dir);
		expect(await readdir(dir)).not.toContain('snapshot.db.tmp');
	});

	it('recovers from a zero-length newest journal (a crash right after creating it)', async () => {
		const { dir, generation } = await copySeeded();
		await writeFile(join(dir, `journal.${generation + 1}.log`), '');
		await expectRecovered(dir);
	});

	it('recovers from a journal whose header was torn', async () => {
		const { dir, generation } = await copySeeded();
		await writeFile(join(dir, `journal.${generation + 1}.log`), 'KORIJNL');
		await expectRecovered(dir);
	});

	it('refuses, in one line, a damaged record with acknowledged ones after it', async () => {
		const { dir, journal } = await copySeeded();
		const bytes = await readFile(journal);
		expect(bytes.length).toBeGreaterThan(200);
		bytes[16 + 8 + 20] = bytes[16 + 8 + 20]! ^ 0xff;
		await writeFile(journal, bytes);
		await expectRefused(dir, /corrupt.*refusing to open rather than drop acknowledged writes/);
	});

	it('refuses, in one line, a torn journal that newer journals follow', async () => {
		const { dir, journal, generation } = await copySeeded();
		const bytes = await readFile(journal);
		await writeFile(journal, bytes.subarray(0, bytes.length - 5));
		await writeFile(join(dir, `journal.${generation + 1}.log`), bytes.subarray(0, 16));
		await expectRefused(dir, /damaged record .* newer journals follow/);
	});

	it('refuses, in one line, a snapshot that is not a database', async () => {
		const { dir } = await copySeeded();
		await writeFile(join(dir, 'snapshot.db'), Buffer.alloc(4096, 0x5a));
		await expectRefused(dir, /snapshot\.db cannot be read/);
	});

	it('refuses, in one line, a journal that is not a journal', async () => {
		const { dir, journal } = await copySeeded();
		await writeFile(journal, Buffer.alloc(300, 0x41));
		await expectRefused(dir, /does not start with a KoriChat journal header/);
	});
});
