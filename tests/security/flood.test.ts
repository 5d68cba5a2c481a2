import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const flooderScript = join(import.meta.dirname, 'fixtures/flooder.mjs');
const flooders = 4;
// Blocks of pings, alternating quiet and flooded, so a machine busy with other work slows both.
const blocks = 8;
const pingsPerBlock = 60;

let temp: TempDir;
let server: ServerProcess;
let flooder: ChildProcess;
let flooderOutput = '';

beforeAll(async () => {
	temp = await makeTempDir();
	// The default limits: 20 requests/s per connection, bursts of 100.
	server = await startServerProcess(temp.dir);
	flooder = spawn(process.execPath, [flooderScript, String(server.port), String(flooders)], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	flooder.stdout!.on('data', (chunk) => (flooderOutput += chunk));
	await new Promise<void>((resolve) => {
		flooder.stdout!.on('data', () => flooderOutput.includes('flooder started') && resolve());
	});
	flooder.kill('SIGSTOP');
});
afterAll(async () => {
	if (flooder.exitCode === null) flooder.kill('SIGKILL');
	await server.kill9();
	await temp.remove();
});

/** Round-trip times of `count` PINGs, on fresh connections so the honest client stays under its own limit. */
async function pingTimes(count: number): Promise<number[]> {
	const times: number[] = [];
	let client: RawClient | undefined;
	for (let index = 0; index < count; index++) {
		if (index % 50 === 0) {
			await client?.close();
			client = await RawClient.connect(server.port);
		}
		const started = performance.now();
		const response = await client!.request('PING');
		times.push(performance.now() - started);
		expect(response.status).toBe(200);
		await new Promise((resolve) => setTimeout(resolve, 2));
	}
	await client?.close();
	return times;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('a flooder', () => {
	it('is held at the rate limit while an honest client keeps its latency', async () => {
		const quiet: number[] = [];
		const flooded: number[] = [];
		for (let block = 0; block < blocks; block++) {
			const floodNow = block % 2 === 1;
			flooder.kill(floodNow ? 'SIGCONT' : 'SIGSTOP');
			// Let the flood (or the calm) set in before measuring.
			await new Promise((resolve) => setTimeout(resolve, 100));
			(floodNow ? flooded : quiet).push(...(await pingTimes(pingsPerBlock)));
		}
		flooder.kill('SIGCONT');
		const exited = new Promise((resolve) => flooder.on('exit', resolve));
		flooder.kill('SIGTERM');
		await exited;
		const counts = JSON.parse(/flooder (\{.*\})/.exec(flooderOutput)![1]!);

		// The flooder wrote hundreds of thousands of requests; the server read only about its rate.
		const seconds = (blocks / 2) * (0.1 + pingsPerBlock * 0.003) + 1;
		expect(counts.sent).toBeGreaterThan(100_000);
		// Past the rate requests wait rather than fail: answers come at about the rate, no 429.
		expect(counts.ok).toBeLessThan(flooders * (100 + 2 * 20 * seconds));
		expect(counts.limited).toBe(0);
		expect(counts.other).toBe(0);
		expect(counts.closed).toBe(0);
		// Medians over hundreds of pings, with room for noise from whatever else the machine runs.
		const [quietMs, floodedMs] = [median(quiet), median(flooded)];
		console.info(
			`flood: honest PING median ${quietMs.toFixed(3)} ms quiet, ${floodedMs.toFixed(3)} ms ` +
				`under ${flooders} flooders (${counts.sent} PINGs written, ${counts.ok} answered)`,
		);
		expect(floodedMs).toBeLessThan(2 * quietMs + 0.5);
	}, 60_000);
});
