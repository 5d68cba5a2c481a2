import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { RawClient } from './raw-client.js';

// The test peer itself: a request must never wait forever, or a test hangs instead of failing.
let server: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
	for (const socket of sockets.splice(0)) socket.destroy();
	await new Promise((resolve) => server?.close(resolve));
	server = undefined;
});

/** A peer that accepts and then does `onConnection` (never answering a request). */
async function peer(onConnection: (socket: Socket) => void): Promise<number> {
	server = createServer((socket) => {
		sockets.push(socket);
		onConnection(socket);
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

it('rejects a request made after the peer closed the connection', async () => {
	const client = await RawClient.connect(await peer((socket) => socket.end()));
	await client.closed;
	await expect(client.request('PING')).rejects.toThrow('connection closed');
	await expect(client.waitForPush(() => true)).rejects.toThrow('connection closed');
});

it('gives up on an unanswered request after its timeout, naming the verb, and closes', async () => {
	const client = await RawClient.connect(await peer(() => undefined));
	const started = Date.now();
	await expect(client.request('SEND', 'josie', {}, 'hi', { timeoutMs: 200 })).rejects.toThrow(
		'no answer to SEND within 200 ms',
	);
	expect(Date.now() - started).toBeGreaterThanOrEqual(190);
	await client.closed;
	expect(client.socket.destroyed).toBe(true);
});
