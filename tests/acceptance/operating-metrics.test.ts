import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { sample, startServer, type RunningServer } from './operator.js';

// docs/operating.md "Metrics and health": korichat_messages_stored_total,
// korichat_requests_total{verb,status}; /healthz "200 ok" while storage takes writes, else 503.
const PASSWORD = 'metrics-pass-1';

async function scrape(url: string): Promise<string> {
	const response = await fetch(url);
	expect(response.status).toBe(200);
	return response.text();
}

async function waitForHealth(url: string, status: number, ms: number): Promise<Response> {
	const deadline = Date.now() + ms;
	for (;;) {
		const response = await fetch(url);
		if (response.status === status || Date.now() > deadline) return response;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

function canMountTmpfs(): boolean {
	if (process.getuid?.() !== 0) return false;
	try {
		execFileSync('mount', ['--version'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

describe('metrics and health (acceptance)', () => {
	let temp: TempDir;
	const servers: RunningServer[] = [];
	let mounted: string | undefined;
	afterEach(async () => {
		for (const server of servers.splice(0)) await server.kill();
		if (mounted) execFileSync('umount', [mounted]);
		mounted = undefined;
		await temp?.remove();
	});

	it('1,000 SENDs move the stored-messages and SEND 202 counters by exactly 1,000; /healthz is 200', async () => {
		temp = await makeTempDir();
		const server = await startServer(`${temp.dir}/data`, [
			'--metrics',
			'127.0.0.1:0',
			'--rate-limit',
			'100000',
		]);
		servers.push(server);
		const metrics = server.metricsUrl!;
		const health = await fetch(metrics.replace(/\/metrics$/, '/healthz'));
		expect(health.status).toBe(200);

		const client = await RawClient.connect(server.port);
		const other = await RawClient.connect(server.port);
		expect((await client.request('REG', 'm1', { Password: PASSWORD })).status).toBe(201);
		expect((await other.request('REG', 'm2', { Password: PASSWORD })).status).toBe(201);
		expect((await client.login('m1', PASSWORD)).status).toBe(200);
		// A few other requests, so the SEND counter is seen to count SENDs only.
		expect((await client.request('PING')).status).toBe(200);
		expect((await client.request('SEND', 'nobody-here')).status).not.toBe(202);

		const before = await scrape(metrics);
		const labels = { verb: 'SEND', status: '202' };
		for (let batch = 0; batch < 10; batch++) {
			const answers = await Promise.all(
				Array.from({ length: 100 }, (_, i) =>
					client.request('SEND', 'm2', {}, `metric ${batch} ${i}`),
				),
			);
			expect(answers.every((answer) => answer.status === 202)).toBe(true);
		}
		expect((await client.request('PING')).status).toBe(200);
		const after = await scrape(metrics);
		expect(
			sample(after, 'korichat_messages_stored_total') -
				sample(before, 'korichat_messages_stored_total'),
		).toBe(1000);
		expect(
			sample(after, 'korichat_requests_total', labels) -
				sample(before, 'korichat_requests_total', labels),
		).toBe(1000);
		expect(after).toMatch(/^korichat_connections \d+/m);
		expect(after).toMatch(/^korichat_journal_fsync_duration_seconds_bucket/m);
		expect(after).toMatch(/^process_resident_memory_bytes/m);
		await client.close();
		await other.close();
	}, 60_000);

	it.runIf(canMountTmpfs())(
		'/healthz turns 503 when the data folder’s disk is full, and 200 again once it has room',
		async () => {
			temp = await makeTempDir();
			mounted = `${temp.dir}/disk`;
			await mkdir(mounted);
			execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mounted]);
			const server = await startServer(`${mounted}/data`, ['--metrics', '127.0.0.1:0']);
			servers.push(server);
			const healthz = server.metricsUrl!.replace(/\/metrics$/, '/healthz');
			expect((await fetch(healthz)).status).toBe(200);

			const filler = `${mounted}/filler`;
			try {
				execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
			} catch {
				// dd stops with "No space left on device": that is the point.
			}
			await writeFile(`${mounted}/tail`, '').catch(() => undefined);
			const full = await waitForHealth(healthz, 503, 5000);
			expect(full.status).toBe(503);
			expect(await full.text()).toMatch(/^unhealthy: /);
			const gauge = await scrape(server.metricsUrl!);
			expect(sample(gauge, 'korichat_storage_writable')).toBe(0);

			await rm(filler);
			expect((await waitForHealth(healthz, 200, 5000)).status).toBe(200);
		},
		30_000,
	);

	it.skipIf(canMountTmpfs())(
		'full-disk /healthz: skipped, not root or no mount (cannot fill a disk black-box)',
		() => {},
	);
});
