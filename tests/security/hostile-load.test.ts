import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

// Issue 15's hostile pass, as tests: an honest client's PING round trips are measured beside each
// attacker. The bounds only prove "not frozen" (the unfixed server took seconds); the figures
// printed here are the ones docs/security.md records.

const password = 'correct horse battery';
const flooderScript = join(import.meta.dirname, 'fixtures/flooder.mjs');
// "Not frozen" on a 2-core machine shared with other suites: the unfixed server showed 1.5 s to 46 s.
const notFrozenMs = 1000;

type Figures = { p50: number; p99: number; max: number };

const percentile = (sorted: number[], p: number) =>
	sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** `count` PINGs one after another, a fresh connection every 50 (under the rate's burst). */
async function honestPings(port: number, count = 150): Promise<Figures> {
	const times: number[] = [];
	let client: RawClient | undefined;
	for (let index = 0; index < count; index++) {
		if (index % 50 === 0) {
			await client?.close();
			client = await RawClient.connect(port);
		}
		const started = performance.now();
		expect((await client!.request('PING')).status).toBe(200);
		times.push(performance.now() - started);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	await client?.close();
	times.sort((a, b) => a - b);
	return { p50: percentile(times, 0.5), p99: percentile(times, 0.99), max: times.at(-1)! };
}

const show = ({ p50, p99, max }: Figures) =>
	`p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${max.toFixed(1)} ms`;

async function user(port: number, name: string, register: boolean): Promise<RawClient> {
	const client = await RawClient.connect(port);
	if (register) {
		expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	}
	expect((await client.login(name, password)).status).toBe(200);
	return client;
}

async function sendMany(sender: RawClient, to: string, bodies: string[]): Promise<void> {
	for (let start = 0; start < bodies.length; start += 32) {
		const batch = bodies
			.slice(start, start + 32)
			.map((body) => sender.request('SEND', to, {}, body));
		for (const response of await Promise.all(batch)) expect(response.status).toBe(202);
	}
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

describe('large HISTORY pages (rate limit off, so the attacker is unpaced)', () => {
	let temp: TempDir;
	let server: ServerProcess;
	beforeAll(async () => {
		temp = await makeTempDir();
		server = await startServerProcess(temp.dir, ['--rate-limit', '0']);
		const writer = await user(server.port, 'writer', true);
		await user(server.port, 'reader', true).then((client) => client.close());
		await user(server.port, 'ctl', true).then((client) => client.close());
		// 300 plain bodies of 60 KB, and 150 of control bytes, six bytes each once JSON-escaped.
		await sendMany(
			writer,
			'reader',
			Array.from({ length: 300 }, (_, i) => `${i} `.padEnd(60_000, 'p')),
		);
		await sendMany(
			writer,
			'ctl',
			Array.from({ length: 150 }, (_, i) => `${i}`.padEnd(60_000, '\u0001')),
		);
		await writer.close();
	}, 120_000);
	afterAll(async () => {
		await server.kill9();
		await temp.remove();
	});

	it('a pipeline of 32 HISTORY Limit 500 that is never read does not freeze the others', async () => {
		for (const [name, target] of [
			['ctl', 'writer'],
			['reader', 'writer'],
		] as const) {
			const attacker = await user(server.port, name, false);
			attacker.socket.pause();
			attacker.write(`HISTORY ${target} CHAT/1.0\r\nLimit: 500\r\n\r\n`.repeat(32));
			const figures = await honestPings(server.port);
			console.info(`HISTORY pipeline of 32, never read (${name}): honest PING ${show(figures)}`);
			expect(figures.p99).toBeLessThan(notFrozenMs);
			await attacker.close();
		}
	}, 60_000);

	it('a client reading every large page as fast as it can does not freeze the others', async () => {
		const attacker = await user(server.port, 'ctl', false);
		let pages = 0;
		let stop = false;
		const reading = (async () => {
			while (!stop) {
				const response = await attacker.request('HISTORY', 'writer', { Limit: '500' });
				expect(response.status).toBe(200);
				pages++;
			}
		})();
		const figures = await honestPings(server.port);
		stop = true;
		await reading;
		console.info(`reading every HISTORY page (${pages} pages): honest PING ${show(figures)}`);
		expect(figures.p99).toBeLessThan(notFrozenMs);
		await attacker.close();
	}, 60_000);

	it('eight connections that ask once and never read cost a few MiB, not gigabytes', async () => {
		const before = server.rssBytes();
		const attackers = await Promise.all(
			Array.from({ length: 8 }, () => user(server.port, 'ctl', false)),
		);
		for (const attacker of attackers) {
			attacker.socket.pause();
			attacker.write('HISTORY writer CHAT/1.0\r\nLimit: 500\r\n\r\n');
		}
		const figures = await honestPings(server.port, 100);
		const after = server.rssBytes();
		console.info(
			`8 × HISTORY never read: server RSS ${mib(before)} → ${mib(after)} MiB; honest PING ${show(figures)}`,
		);
		expect(after - before).toBeLessThan(200 * 1024 * 1024);
		// One PING meets the burst of eight pages built at once (their cost is real work, reported
		// above); the rest must not wait behind anything.
		expect(figures.p50).toBeLessThan(notFrozenMs / 10);
		await Promise.all(attackers.map((attacker) => attacker.close()));
	}, 60_000);
});

describe('malformed floods (default limits: 20 requests/s, bursts of 100)', () => {
	let temp: TempDir;
	let server: ServerProcess;
	beforeAll(async () => {
		temp = await makeTempDir();
		server = await startServerProcess(temp.dir);
	});
	afterAll(async () => {
		await server.kill9();
		await temp.remove();
	});

	for (const payload of ['nul', 'nocolon', 'blank', 'longid'] as const) {
		it(`one connection writing "${payload}" frames in a loop is paced and closed`, async () => {
			const flooder = spawn(process.execPath, [flooderScript, String(server.port), '1', payload], {
				stdio: ['ignore', 'pipe', 'inherit'],
			});
			let output = '';
			flooder.stdout.on('data', (chunk) => (output += chunk));
			await new Promise<void>((resolve) => {
				flooder.stdout.on('data', () => output.includes('flooder started') && resolve());
			});
			await new Promise((resolve) => setTimeout(resolve, 200));
			const started = performance.now();
			const figures = await honestPings(server.port);
			const seconds = (performance.now() - started) / 1000;
			const exited = new Promise((resolve) => flooder.on('exit', resolve));
			flooder.kill('SIGTERM');
			await exited;
			const counts = JSON.parse(/flooder (\{.*\})/.exec(output)![1]!);
			console.info(
				`flood of "${payload}": ${counts.sent} frames written, ${counts.other} answered, ` +
					`${counts.closed} connections closed in ${seconds.toFixed(1)} s; honest PING ${show(figures)}`,
			);
			// Closed after at most ten malformed frames each: answers are a few per connection.
			expect(counts.other).toBeLessThanOrEqual(10 * (counts.closed + 1));
			expect(figures.p99).toBeLessThan(notFrozenMs);
			// The server still serves a logged-in user afterwards.
			const after = await RawClient.connect(server.port);
			expect((await after.request('PING')).status).toBe(200);
			await after.close();
		}, 60_000);
	}
});
