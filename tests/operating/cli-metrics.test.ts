import { access, readdir, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetricsEndpoint } from '../../source/operating/metrics-http.js';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { healthz, scrape } from './support/scrape.js';

let temp: TempDir;
const running: CliProcess[] = [];
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	for (const cli of running.splice(0)) cli.child.kill('SIGKILL');
	await temp.remove();
});

function serve(args: readonly string[]): CliProcess {
	const cli = runCli(['--serve', '--headless', '--port', '0', ...args]);
	running.push(cli);
	return cli;
}

/** The endpoint a `korichat metrics on URL` line names, once it is printed. */
async function metricsEndpoint(cli: CliProcess): Promise<MetricsEndpoint> {
	await cli.listening;
	const url = await vi.waitFor(() => {
		const match = /^korichat metrics on (http:\/\/127\.0\.0\.1:(\d+)\/metrics)$/m.exec(
			cli.stdout(),
		);
		expect(match).not.toBeNull();
		return match![1]!;
	});
	const port = Number(new URL(url).port);
	return { host: '127.0.0.1', port, url, close: async () => undefined };
}

const exists = (path: string) =>
	access(path).then(
		() => true,
		() => false,
	);

describe('korichat --serve --metrics', () => {
	it('prints the metrics address for port 0, serves /metrics and /healthz, and stops with the server', async () => {
		const cli = serve(['--metrics', '127.0.0.1:0', '--data', temp.dir]);
		const port = await cli.listening;
		const endpoint = await metricsEndpoint(cli);
		expect(cli.stdout()).toBe(
			`korichat listening on 127.0.0.1:${port}\nkorichat metrics on ${endpoint.url}\n`,
		);
		expect(await healthz(endpoint)).toEqual({ status: 200, text: 'ok\n' });

		const client = await RawClient.connect(port);
		expect((await client.request('REG', 'ann', { Password: 'correct horse' })).status).toBe(201);
		expect((await client.login('ann')).status).toBe(200);
		expect((await client.request('SEND', 'ann', {}, 'hello')).status).toBe(202);
		const scraped = await scrape(endpoint);
		expect(scraped.get('korichat_connections')).toBe(1);
		expect(scraped.get('korichat_logged_in_users')).toBe(1);
		expect(scraped.get('korichat_messages_stored_total')).toBe(1);
		expect(scraped.get('korichat_requests_total', { verb: 'SEND', status: '202' })).toBe(1);
		expect(scraped.get('process_cpu_seconds_total')).toBeGreaterThan(0);
		await client.close();

		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
		await expect(fetch(endpoint.url)).rejects.toThrow();
	});

	it('refuses a bad --metrics address in one line, before touching the data folder', async () => {
		for (const address of ['9464', 'localhost', '127.0.0.1:99999', 'http://127.0.0.1:9464']) {
			const dataDir = join(temp.dir, 'never-made');
			const cli = serve(['--metrics', address, '--data', dataDir]);
			expect(await cli.exited).toBe(1);
			expect(cli.stdout()).toBe('');
			expect(cli.stderr().trim().split('\n')).toEqual([
				`korichat: --metrics takes HOST:PORT to serve /metrics and /healthz on (e.g. 127.0.0.1:9464), not "${address}"`,
			]);
			expect(await exists(dataDir)).toBe(false);
		}
	});

	it('says in one line that the metrics port is in use, and leaves the data folder unlocked', async () => {
		const blocker = createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		const { port } = blocker.address() as AddressInfo;
		try {
			const cli = serve(['--metrics', `127.0.0.1:${port}`, '--data', temp.dir]);
			expect(await cli.exited).toBe(1);
			expect(cli.stderr().trim().split('\n')).toEqual([
				`korichat: the metrics port 127.0.0.1:${port} is already in use; pick another with --metrics`,
			]);
			// The chat server never started: the folder holds no lock, and a start succeeds at once.
			const next = serve(['--data', temp.dir]);
			await next.listening;
			next.child.kill('SIGTERM');
			expect(await next.exited).toBe(0);
		} finally {
			blocker.close();
		}
	});

	it('prints no metrics address without --metrics', async () => {
		const cli = serve(['--data', temp.dir]);
		const port = await cli.listening;
		expect(cli.stdout()).toBe(`korichat listening on 127.0.0.1:${port}\n`);
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
	});

	it('counts every byte written to the journal files, and --snapshot-after sets when a snapshot replaces them', async () => {
		const journalBytes = async () => {
			const names = (await readdir(temp.dir)).filter((name) => /^journal\.\d+\.log$/.test(name));
			const sizes = await Promise.all(
				names.map(async (name) => (await stat(join(temp.dir, name))).size),
			);
			return sizes.reduce((sum, size) => sum + size, 0);
		};
		const cli = serve(['--metrics', '127.0.0.1:0', '--data', temp.dir, '--snapshot-after', '8192']);
		const port = await cli.listening;
		const endpoint = await metricsEndpoint(cli);
		const client = await RawClient.connect(port);
		expect((await client.request('REG', 'ann', { Password: 'correct horse' })).status).toBe(201);
		expect((await client.login('ann')).status).toBe(200);
		const written = await journalBytes();
		const first = await scrape(endpoint);
		// A fresh folder: every journal byte on disk was written by this process, and counted.
		expect(first.get('korichat_journal_bytes_total')).toBe(written);
		expect(first.count('korichat_snapshot_duration_seconds_count')).toBe(0);

		for (let index = 0; index < 40; index++) {
			expect((await client.request('SEND', 'ann', {}, 'x'.repeat(500))).status).toBe(202);
		}
		// 40 × 500 bytes of bodies cross 8 KiB: a snapshot replaced the journal (it is not due without the flag).
		await vi.waitFor(
			async () => {
				const scraped = await scrape(endpoint);
				expect(scraped.count('korichat_snapshot_duration_seconds_count')).toBeGreaterThan(0);
			},
			{ timeout: 10_000, interval: 100 },
		);
		const after = await scrape(endpoint);
		expect(after.count('korichat_journal_bytes_total')).toBeGreaterThan(written + 40 * 500);
		expect(await journalBytes()).toBeLessThan(after.count('korichat_journal_bytes_total'));
		await client.close();
		cli.child.kill('SIGTERM');
		expect(await cli.exited).toBe(0);
	});

	it('refuses a bad --snapshot-after in one line, and with a PostgreSQL store', async () => {
		for (const value of ['0', '-1', '64MiB', '1.5']) {
			const cli = serve(['--data', temp.dir, '--snapshot-after', value]);
			expect(await cli.exited).toBe(1);
			expect(cli.stdout()).toBe('');
			// commander's one-line error, then the usage (as for every bad flag).
			expect(cli.stderr().split('\n')[0]).toBe(
				`error: option '--snapshot-after <bytes>' argument '${value}' is invalid. expected a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`,
			);
		}
		const cli = serve(['--store', 'postgres://127.0.0.1:1/none', '--snapshot-after', '4096']);
		expect(await cli.exited).toBe(1);
		expect(cli.stderr().trim().split('\n')).toEqual([
			'korichat: --snapshot-after tunes the sql.js journal in --data; a PostgreSQL store (--store) has none',
		]);
	});
});
