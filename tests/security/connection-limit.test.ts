import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { sendChunks } from './support/frame-reader.js';
import { captureLog } from '../helpers/log-capture.js';

let server: TestServer | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.destroy();
	await server?.stop();
	server = undefined;
});

/** An open connection from `localAddress` (any 127.x.y.z is this machine). */
function open(port: number, localAddress: string): Promise<Socket> {
	return new Promise((resolve, reject) => {
		const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
		socket.on('error', reject);
		sockets.push(socket);
	});
}

const ping = Buffer.from('PING CHAT/1.0\r\n\r\n');

describe('connections per address', () => {
	it('refuses the connection past the limit with a 429 that says why, and closes it', async () => {
		const { log: logsLog, messages: logs } = captureLog();
		server = await startTestServer({
			maxConnectionsPerIp: 3,
			limitLoopback: true,
			log: logsLog,
		});
		for (let index = 0; index < 3; index++) await open(server.port, '127.0.0.2');
		const refused = await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.2' });
		expect(refused.closed).toBe(true);
		expect(refused.frames).toHaveLength(1);
		const [frame] = refused.frames;
		expect(frame?.type === 'response' && frame.response.status).toBe(429);
		if (frame?.type === 'response') {
			expect(frame.response.headers.get('retry-after')).toBe('10');
			expect(JSON.parse(frame.response.body.toString()).error).toMatch(/too many connections/);
		}
		// Another address is not affected, and a freed slot can be taken again.
		const other = await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.3' });
		expect(other.frames.map((f) => f.type === 'response' && f.response.status)).toEqual([200]);
		sockets.shift()!.destroy();
		await new Promise((resolve) => setTimeout(resolve, 50));
		const again = await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.2' });
		expect(again.frames.map((f) => f.type === 'response' && f.response.status)).toEqual([200]);
		// One line for a burst of refusals, not one per connection.
		await open(server.port, '127.0.0.2');
		for (let index = 0; index < 5; index++) {
			await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.2' });
		}
		expect(
			logs.filter((line) => line.startsWith('refusing connections from 127.0.0.2')),
		).toHaveLength(2);
	});

	it('exempts loopback by default, as ergo does', async () => {
		server = await startTestServer({ maxConnectionsPerIp: 3 });
		for (let index = 0; index < 20; index++) await open(server.port, '127.0.0.2');
		const twentyFirst = await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.2' });
		expect(twentyFirst.frames.map((f) => f.type === 'response' && f.response.status)).toEqual([
			200,
		]);
	});

	it('can be turned off with 0', async () => {
		server = await startTestServer({ maxConnectionsPerIp: 0, limitLoopback: true });
		for (let index = 0; index < 20; index++) await open(server.port, '127.0.0.2');
		const more = await sendChunks(server.port, [ping], 5000, { localAddress: '127.0.0.2' });
		expect(more.frames.map((f) => f.type === 'response' && f.response.status)).toEqual([200]);
	});
});
