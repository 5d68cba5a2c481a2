import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLog } from '../helpers/log-capture.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { sendChunks } from '../security/support/frame-reader.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.destroy();
	await server?.stop();
	server = undefined;
});

function open(port: number, localAddress: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
		socket.on('error', reject);
		sockets.push(socket);
	});
}

const addresses = (count: number, third: number) =>
	Array.from({ length: count }, (_, index) => `127.0.${third}.${index + 1}`);

describe('a flood of bad connections writes a bounded log', () => {
	it('logs at most 10 refusals per reason in a window, then one line counting the rest', async () => {
		const captured = captureLog();
		server = await startTestServer({
			maxConnectionsPerIp: 1,
			limitLoopback: true,
			log: captured.log,
		});
		const from = addresses(60, 2);
		await Promise.all(from.map((address) => open(server!.port, address)));
		const refusals = await Promise.all(
			from.map((address) =>
				sendChunks(server!.port, [Buffer.from('PING CHAT/1.0\r\n\r\n')], 5000, {
					localAddress: address,
				}),
			),
		);
		expect(refusals.every((outcome) => outcome.closed && outcome.frames.length === 1)).toBe(true);
		const refused = () => captured.events('connection-refused');
		expect(refused()).toHaveLength(10);
		expect(
			refused().every(
				(entry) => entry.reason === 'per-address-limit' && entry.suppressed === undefined,
			),
		).toBe(true);
		await server.stop();
		server = undefined;
		// The summary comes when the window ends, or at the latest when the server stops.
		expect(refused().slice(10)).toEqual([
			expect.objectContaining({ reason: 'per-address-limit', suppressed: 50 }),
		]);
	});

	it('logs at most 10 frame timeouts in a window however many connections time out', async () => {
		const captured = captureLog();
		server = await startTestServer({ frameTimeoutMs: 200, log: captured.log });
		const slow = await Promise.all(addresses(40, 3).map((address) => open(server!.port, address)));
		// Read (and drop) what comes, so each socket sees its end and closes.
		const closed = slow.map(
			(socket) => new Promise((resolve) => socket.resume().on('close', resolve)),
		);
		for (const socket of slow) socket.write('PING CHAT/1.0\r\nX-Unfinished: yes\r\n');
		await Promise.all(closed);
		const timeouts = captured.events('connection-closed');
		expect(timeouts).toHaveLength(10);
		expect(timeouts.every((entry) => entry.reason === 'frame-timeout')).toBe(true);
		await server.stop();
		server = undefined;
		expect(captured.events('connection-closed').slice(10)).toEqual([
			expect.objectContaining({ reason: 'frame-timeout', suppressed: 30 }),
		]);
		// Nothing else was written for them: start, listening, the admin socket, and the lines above.
		expect(captured.entries.length).toBeLessThanOrEqual(3 + 11);
	});
});
