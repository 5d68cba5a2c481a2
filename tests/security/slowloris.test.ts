import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const connections = 300;
let temp: TempDir;
let server: ServerProcess;

beforeAll(async () => {
	temp = await makeTempDir();
	server = await startServerProcess(temp.dir, ['--frame-timeout', '1']);
});
afterAll(async () => {
	await server.kill9();
	await temp.remove();
});

type Dribbler = { readonly socket: Socket; readonly closed: Promise<string> };

/** A connection that sends `frame` one byte every 50 ms, and never finishes it in time. */
function dribble(port: number, frame: string): Dribbler {
	const socket = connect(port, '127.0.0.1');
	let received = '';
	let index = 0;
	const timer = setInterval(() => {
		if (index < frame.length && !socket.destroyed) socket.write(frame[index++]!);
	}, 50);
	socket.on('data', (chunk) => (received += chunk.toString('latin1')));
	socket.on('error', () => undefined);
	const closed = new Promise<string>((resolve) =>
		socket.on('close', () => {
			clearInterval(timer);
			resolve(received);
		}),
	);
	return { socket, closed };
}

describe('slowloris', () => {
	it(`closes ${connections} dribbling connections at the frame timeout, with bounded memory`, async () => {
		const before = server.rssBytes();
		const started = performance.now();
		// Heads dribbled byte by byte, and bodies promised but never sent in full.
		const attackers = Array.from({ length: connections }, (_, index) =>
			dribble(
				server.port,
				index % 2
					? `PING CHAT/1.0\r\nX-Slow: ${'z'.repeat(200)}\r\n\r\n`
					: `SEND alice CHAT/1.0\r\nContent-Length: 60000\r\n\r\n${'b'.repeat(200)}`,
			),
		);
		// Meanwhile an honest client is served promptly.
		await new Promise((resolve) => setTimeout(resolve, 300));
		const honest = await RawClient.connect(server.port);
		expect((await honest.request('PING')).status).toBe(200);
		let peak = server.rssBytes();
		await new Promise((resolve) => setTimeout(resolve, 500));
		peak = Math.max(peak, server.rssBytes());

		const answers = await Promise.all(attackers.map((attacker) => attacker.closed));
		const elapsed = performance.now() - started;
		for (const answer of answers) expect(answer).toMatch(/^CHAT\/1\.0 408 Request Timeout\r\n/);
		// 1 s of frame timeout, plus generous slack for a loaded machine.
		expect(elapsed).toBeLessThan(8000);
		expect((await honest.request('PING')).status).toBe(200);
		await honest.close();
		// A few KiB per connection, not the bytes it promised.
		expect(peak - before).toBeLessThan(64 * 1024 * 1024);
		console.info(
			`slowloris: ${connections} connections closed in ${Math.round(elapsed)} ms; ` +
				`server RSS ${mib(before)} → ${mib(peak)} → ${mib(server.rssBytes())} MiB`,
		);
	});
});

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
