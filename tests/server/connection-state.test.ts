import { afterEach, describe, expect, it, vi } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import type { RawClient } from '../helpers/raw-client.js';
import { captureLog } from '../helpers/log-capture.js';

// A connection holds its queue, decoder buffer, in-flight list and pending responses only while
// it uses them, and shares its listeners, stall timer and bus subscription with the others: these
// check that each comes back when needed, and that what is shared still behaves per connection.

let chat: ChatFixture | undefined;
afterEach(async () => {
	await chat?.close();
	chat = undefined;
});

const isMessage = (p: { kind: string }) => p.kind === 'MSG';
const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

async function writeBytewise(client: RawClient, text: string): Promise<void> {
	for (const byte of Buffer.from(text)) {
		client.write(Buffer.from([byte]));
		await tick(1);
	}
}

describe('state made only while used', () => {
	it('reads frames split anywhere, whole or pipelined, again and again after idling', async () => {
		chat = await chatFixture();
		const client = await chat.user('adrian');
		const cookie = `Cookie: SESSIONID=${client.cookie}\r\n`;
		for (let round = 0; round < 3; round++) {
			await writeBytewise(client, `PING CHAT/1.0\r\nRequest-Id: a${round}\r\n\r\n`);
			expect((await client.nextResponse()).headers.get('request-id')).toBe(`a${round}`);
			await tick();
			client.write(`PING\r\nRequest-Id: b${round}\r\n\r\nSEND adrian\r\n${cookie}Content-`);
			await tick();
			client.write(`Length: 2\r\n\r\nhiPING\nRequest-Id: c${round}\n\n`);
			const answers = [
				await client.nextResponse(),
				await client.nextResponse(),
				await client.nextResponse(),
			];
			expect(answers.map((r) => [r.status, r.headers.get('request-id')])).toEqual([
				[200, `b${round}`],
				[202, undefined],
				[200, `c${round}`],
			]);
			await tick();
		}
	});

	it('delivers, takes ACKs and delivers again once everything in flight was acknowledged', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		for (let round = 0; round < 3; round++) {
			const texts = [`one ${round}`, `two ${round}`];
			for (const text of texts) await adrian.request('SEND', 'josie', {}, text);
			const first = await josie.waitForPush(isMessage);
			const second = await josie.waitForPush(isMessage);
			expect([first.text, second.text]).toEqual(texts);
			expect((await josie.request('ACK', second.headers.get('message-id')!)).status).toBe(200);
			await tick();
		}
		// Nothing is left to redeliver on a new connection.
		const again = await chat.user('josie', { register: false });
		await tick(100);
		expect(again.pushes.filter(isMessage)).toEqual([]);
	});

	it('binds another session on the same connection and delivers only its messages', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		await chat.register('bob');
		const client = await chat.connect();
		expect((await client.login('josie')).status).toBe(200);
		await adrian.request('SEND', 'josie', {}, 'for josie');
		expect((await client.waitForPush(isMessage)).text).toBe('for josie');
		expect((await client.login('bob')).status).toBe(200);
		await adrian.request('SEND', 'josie', {}, 'josie again');
		await adrian.request('SEND', 'bob', {}, 'for bob');
		const push = await client.waitForPush(isMessage);
		expect(push.text).toBe('for bob');
		expect(client.pushes.filter(isMessage)).toEqual([]);
	});
});

describe('responses waiting for the disk', () => {
	it('answers hundreds of pipelined SENDs in order, sharing each fsync', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const count = 300;
		const requests = [];
		for (let index = 0; index < count; index++) {
			requests.push(adrian.request('SEND', 'josie', { 'Request-Id': `r${index}` }, `m${index}`));
		}
		const responses = await Promise.all(requests);
		expect(responses.map((r) => r.headers.get('request-id'))).toEqual(
			Array.from({ length: count }, (_, index) => `r${index}`),
		);
		expect(responses.every((r) => r.status === 202)).toBe(true);
		const ids = responses.map((r) => Number(r.headers.get('message-id')));
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		const last = await josie.waitForPush((p) => p.text === `m${count - 1}`);
		expect(last.headers.get('message-id')).toBe(String(ids[count - 1]));
	});
});

describe('what connections share', () => {
	it("gives each of a user's connections every event, and presence ends with the last", async () => {
		chat = await chatFixture();
		const watcher = await chat.user('adrian');
		const phone = await chat.user('josie');
		await watcher.waitForPush((p) => p.target === 'presence' && p.json.online === true);
		const laptop = await chat.user('josie', { register: false });
		const tablet = await chat.user('josie', { register: false });
		await watcher.request('SEND', 'josie', {}, 'to all three');
		for (const device of [phone, laptop, tablet]) {
			expect((await device.waitForPush(isMessage)).text).toBe('to all three');
		}
		await laptop.close();
		await watcher.request('SEND', 'josie', {}, 'to two');
		for (const device of [phone, tablet]) {
			expect((await device.waitForPush(isMessage)).text).toBe('to two');
		}
		await phone.close();
		await tick(100);
		expect(watcher.pushes.filter((p) => p.target === 'presence')).toEqual([]);
		await tablet.close();
		const offline = await watcher.waitForPush((p) => p.target === 'presence');
		expect(offline.json).toEqual({ user: 'josie', online: false });
	});

	it('drops a client that stopped reading through the shared stall watch; others carry on', async () => {
		const { log: linesLog, messages: lines } = captureLog();
		chat = await chatFixture({
			outputStallTimeoutMs: 300,
			maxOutputBytes: 1 << 30,
			log: linesLog,
		});
		const reader = await chat.user('josie');
		const sender = await chat.user('adrian');
		const other = await chat.user('josie', { register: false });
		const body = 'y'.repeat(60_000);
		for (let i = 0; i < 40; i++) await sender.request('SEND', 'josie', {}, body);
		reader.socket.pause();
		// Each answer is 2.4 MB: more than the socket buffers take, so output waits, unread.
		for (let i = 0; i < 8; i++) reader.write('HISTORY adrian CHAT/1.0\r\n\r\n');
		// A paused socket does not notice it was closed: the log says so.
		await vi.waitFor(
			() =>
				expect(lines).toContainEqual(
					expect.stringMatching(/^dropping a connection of josie .*has not drained for 0 s$/),
				),
			{ timeout: 10_000, interval: 50 },
		);
		await reader.close();
		expect((await other.request('PING')).status).toBe(200);
		await sender.request('SEND', 'josie', {}, 'still here');
		const push = await other.waitForPush((p) => isMessage(p) && p.text === 'still here');
		expect(push.text).toBe('still here');
	}, 20_000);
});
