import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { captureLog } from '../helpers/log-capture.js';

let chat: ChatFixture | undefined;
afterEach(async () => {
	await chat?.close();
	chat = undefined;
});

async function start(options: Parameters<typeof chatFixture>[0] = {}) {
	chat = await chatFixture(options);
	return chat;
}

describe('framing over TCP', () => {
	it('takes hand-typed requests with bare LF and no version', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('\nPING\n\n');
		const response = await client.nextResponse();
		expect(response.status).toBe(200);
		expect(response.reason).toBe('OK');
	});

	it('answers pipelined requests in order and echoes Request-Id', async () => {
		const { connect, register } = await start();
		await register('adrian');
		const client = await connect();
		client.write(
			`USE adrian CHAT/1.0\r\nPassword: ${password}\r\nRequest-Id: a\r\n\r\n` +
				'SEND adrian CHAT/1.0\r\nRequest-Id: b\r\nContent-Length: 5\r\n\r\nhello' +
				'NOPE CHAT/1.0\r\nRequest-Id: c\r\n\r\n' +
				'PING CHAT/1.0\r\nRequest-Id: d\r\n\r\n',
		);
		const responses = [];
		for (let i = 0; i < 4; i++) responses.push(await client.nextResponse());
		expect(responses.map((r) => [r.headers.get('request-id'), r.status])).toEqual([
			['a', 200],
			['b', 202],
			['c', 405],
			['d', 200],
		]);
	});

	it('answers 505 for another major version and keeps the connection', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('PING CHAT/2.0\r\nRequest-Id: v2\r\n\r\n');
		const response = await client.nextResponse();
		expect(response.status).toBe(505);
		expect(response.headers.get('request-id')).toBe('v2');
		expect((await client.request('PING')).status).toBe(200);
	});

	it('answers an HTTP request line with 400', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
		const response = await client.nextResponse();
		expect(response.status).toBe(400);
		expect(response.json.error).toMatch(/CHAT\/1\.0/);
	});

	it('answers 431 when the head passes 8 KiB, even without a newline, then closes', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('PING ' + 'x'.repeat(9000));
		const response = await client.nextResponse();
		expect(response.status).toBe(431);
		await client.closed;
	});

	it('answers 408 for a frame left incomplete, then closes', async () => {
		const { connect } = await start({ frameTimeoutMs: 200 });
		const client = await connect();
		client.write('SEND adrian CHAT/1.0\r\nContent-Length: 10\r\n\r\nabc');
		const response = await client.nextResponse();
		expect(response.status).toBe(408);
		expect(response.json.error).toMatch(/incomplete/);
		await client.closed;
	});

	it('answers 400 for a malformed header and carries on', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('PING CHAT/1.0\r\nno colon here\r\n\r\nPING\r\n\r\n');
		expect((await client.nextResponse()).status).toBe(400);
		expect((await client.nextResponse()).status).toBe(200);
	});

	it('writes every error with a JSON body and Content-Length', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('FROB CHAT/1.0\r\n\r\n');
		const response = await client.nextResponse();
		expect(response.status).toBe(405);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(Number(response.headers.get('content-length'))).toBe(response.body.length);
		expect(response.json.error).toContain('FROB');
	});
});

describe('limits', () => {
	it('paces requests past the rate limit: they wait rather than fail', async () => {
		// One token a second: even a loaded machine will not refill the bucket mid-burst.
		const { connect } = await start({ rateLimit: 1, rateBurst: 3 });
		const client = await connect();
		client.write('PING\r\n\r\n'.repeat(5));
		const statuses = [];
		const arrivals = [];
		for (let i = 0; i < 5; i++) {
			statuses.push(await client.nextResponse());
			arrivals.push(performance.now());
		}
		// Past the burst the connection is not read until a token is back (1 s at 1/s).
		expect(statuses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
		expect(arrivals[3]! - arrivals[2]!).toBeGreaterThanOrEqual(500);
		expect(client.socket.destroyed).toBe(false);
	});

	it('counts malformed frames against the rate', async () => {
		const { connect } = await start({ rateLimit: 1, rateBurst: 3 });
		const client = await connect();
		client.write('\x00\r\n\r\n'.repeat(4));
		const arrivals = [];
		for (let i = 0; i < 4; i++) {
			expect((await client.nextResponse()).status).toBe(400);
			arrivals.push(performance.now());
		}
		expect(arrivals[3]! - arrivals[2]!).toBeGreaterThanOrEqual(500);
		await client.close();
	});

	it('closes a connection at its tenth malformed frame, and never echoes a long Request-Id', async () => {
		const { connect } = await start();
		const client = await connect();
		const longId = 'x'.repeat(8192 - 100);
		client.write(`PING\r\nRequest-Id: ${longId}\r\n\r\n`);
		const refused = await client.nextResponse();
		expect(refused.status).toBe(400);
		expect(refused.headers.get('request-id')).toBeUndefined();
		expect(refused.body.length).toBeLessThan(200);
		client.write('PING\r\nno colon here\r\n\r\n'.repeat(20));
		const statuses = [];
		for (let i = 0; i < 9; i++) statuses.push((await client.nextResponse()).status);
		expect(statuses).toEqual(Array(9).fill(400));
		await client.closed;
	});

	it('closes a connection that sends only blank lines once they pass the head limit', async () => {
		const { connect } = await start();
		const client = await connect();
		client.write('\r\n'.repeat(5000));
		expect((await client.nextResponse()).status).toBe(431);
		await client.closed;
	});

	it('does not time out a frame the server stopped reading because of the rate limit', async () => {
		const { connect } = await start({ rateLimit: 10, rateBurst: 1, frameTimeoutMs: 300 });
		const client = await connect();
		// Ten requests take the server about half a second at 10/s; the eleventh is unfinished.
		client.write('PING\r\n\r\n'.repeat(10) + 'PING CHAT/1.0\r\n');
		const statuses = [];
		for (let i = 0; i < 10; i++) statuses.push((await client.nextResponse()).status);
		expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(2);
		client.write('\r\n');
		expect([200, 429]).toContain((await client.nextResponse()).status);
		expect(client.socket.destroyed).toBe(false);
	});

	it("one client's garbage does not disturb another", async () => {
		const { connect, user } = await start();
		const good = await user('adrian');
		const bad = await connect();
		bad.write(Buffer.from([0, 255, 13, 10, 13, 10, 1, 2, 3]));
		bad.write('Content-Length: nope\r\n\r\n');
		const response = await good.request('SEND', 'adrian', {}, 'still here');
		expect(response.status).toBe(202);
	});

	it('drops a connection that will not read, without losing its messages', async () => {
		// Replies wait for the reader one at a time, so the output watch is what drops it.
		const { log: loggedLog, messages: logged } = captureLog();
		const { user } = await start({
			maxOutputBytes: 256 * 1024,
			outputStallTimeoutMs: 500,
			log: loggedLog,
		});
		const reader = await user('josie');
		const sender = await user('adrian');
		reader.socket.pause();
		// A client that pipelines requests but never reads its answers fills its output.
		const body = 'y'.repeat(60_000);
		for (let i = 0; i < 40; i++) await sender.request('SEND', 'josie', {}, body);
		// Each answer is about 1 MiB: far more than loopback's socket buffers hold.
		reader.write(`HISTORY adrian CHAT/1.0\r\nLimit: 40\r\n\r\n`.repeat(200));
		await vi.waitFor(() => expect(logged.join('\n')).toMatch(/dropping a connection of josie/), {
			timeout: 10_000,
		});
		// A paused socket does not see the close: read what came, then the end.
		reader.socket.resume();
		await reader.closed;
		const again = await user('josie', { register: false });
		const first = await again.waitForPush((p) => p.kind === 'MSG');
		expect(first.text).toBe(body);
	});
});
