import { afterEach, describe, expect, it, vi } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const password = 'correct horse battery';
let temp: TempDir | undefined;
let server: ServerProcess | undefined;
afterEach(async () => {
	await server?.kill9();
	await temp?.remove();
	server = undefined;
	temp = undefined;
});

async function start(args: string[]): Promise<ServerProcess> {
	temp = await makeTempDir();
	server = await startServerProcess(temp.dir, ['--rate-limit', '0', ...args]);
	return server;
}

async function user(port: number, name: string, register = true): Promise<RawClient> {
	const client = await RawClient.connect(port);
	if (register)
		expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	expect((await client.login(name, password)).status).toBe(200);
	return client;
}

/** Sends `count` bodies of `size` bytes, pipelined 32 at a time; returns the bodies. */
async function sendMany(
	sender: RawClient,
	to: string,
	count: number,
	size: number,
	first = 0,
): Promise<string[]> {
	const bodies = Array.from({ length: count }, (_, index) => `${first + index} `.padEnd(size, '.'));
	for (let start = 0; start < count; start += 32) {
		const batch = bodies
			.slice(start, start + 32)
			.map((body) => sender.request('SEND', to, {}, body));
		for (const response of await Promise.all(batch)) expect(response.status).toBe(202);
	}
	return bodies;
}

/** Logs in again and reads the queue until `count` messages came; they must be `bodies`, in order. */
async function expectQueued(port: number, name: string, bodies: string[]): Promise<void> {
	const again = await user(port, name, false);
	const received: string[] = [];
	while (received.length < bodies.length) {
		const push = await again.waitForPush((p) => p.kind === 'MSG', 10_000);
		received.push(push.text);
		if (received.length % 500 === 0) await again.request('ACK', push.headers.get('message-id')!);
	}
	expect(received).toEqual(bodies);
	await again.close();
}

async function dropped(process: Pick<ServerProcess, 'stderr'>, line: RegExp): Promise<void> {
	await vi.waitFor(() => expect(process.stderr()).toMatch(line), { timeout: 20_000, interval: 50 });
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

describe('a client that never reads', () => {
	it('is dropped once its pushes stall past --output-timeout; its queue waits for it', async () => {
		const megabyte = 1024 * 1024;
		const { port, ...process } = await start([
			'--output-timeout',
			'1',
			'--max-body',
			`${megabyte}`,
		]);
		const reader = await user(port, 'reader');
		reader.socket.pause();
		const sender = await user(port, 'sender');
		const before = process.rssBytes();
		// Until the socket buffers on both sides are full (tens of MB on loopback) and the
		// server's output stalls. A paused socket does not notice it was closed: the log says so.
		const line =
			/"reason":"output-stall",.*"msg":"dropping a connection of reader from 127\.0\.0\.1: its output has not drained for 1 s"/;
		const bodies: string[] = [];
		while (!line.test(process.stderr()) && bodies.length < 160) {
			bodies.push(...(await sendMany(sender, 'reader', 8, megabyte, bodies.length)));
			if (bodies.length >= 32) await new Promise((resolve) => setTimeout(resolve, 300));
		}
		await dropped(process, line);
		const after = process.rssBytes();
		await reader.close();
		// Pushes wait at 64 KiB of unsent output: what grows is the store of messages.
		const stored = bodies.length * megabyte;
		expect(after - before).toBeLessThan(3 * stored + 64 * megabyte);
		console.info(
			`stalled reader: dropped after ${bodies.length} MiB sent to it; ` +
				`server RSS ${mib(before)} → ${mib(after)} MiB`,
		);
		await expectQueued(port, 'reader', bodies);
	}, 60_000);

	it('stops building replies it does not read and is dropped by --output-timeout', async () => {
		const { port, ...process } = await start(['--output-timeout', '1']);
		const sender = await user(port, 'sender');
		const reader = await user(port, 'reader');
		const bodies = await sendMany(sender, 'reader', 40, 60_000);
		reader.socket.pause();
		const before = process.rssBytes();
		// Each answer is about 1 MiB (the page bound): 50 of them are far more than loopback's
		// socket buffers hold, yet only what the reader could take is ever built.
		for (let index = 0; index < 50; index++) reader.write('HISTORY sender CHAT/1.0\r\n\r\n');
		await dropped(
			process,
			/"msg":"dropping a connection of reader .*its output has not drained for 1 s"/,
		);
		const after = process.rssBytes();
		expect(after - before).toBeLessThan(64 * 1024 * 1024);
		console.info(`stalled HISTORY reader: server RSS ${mib(before)} → ${mib(after)} MiB`);
		await reader.close();
		await expectQueued(port, 'reader', bodies);
	}, 60_000);
});
