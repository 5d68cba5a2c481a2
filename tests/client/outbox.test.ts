import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValidSendId, newSendId, Outbox, type OutboxEntry } from '../../source/client/index.js';
import { clientFixture, collectMessages, type ClientFixture } from './support/client-fixture.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { nextEvent, waitUntil } from './support/wait.js';

let chat: ClientFixture;
let proxy: TcpProxy;
beforeEach(async () => {
	chat = await clientFixture();
	proxy = await TcpProxy.start(chat.server.port);
});
afterEach(async () => {
	await proxy.close();
	await chat.close();
});

/** The Send-Id headers of the SENDs that went through the proxy, in order. */
const sendIds = () =>
	[
		...proxy.sentByClients.matchAll(
			/^SEND [^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Send-Id: ([^\r\n]+)\r\n/gm,
		),
	].map((match) => match[1]);

describe('Send-Id (PROTOCOL.md §7.8)', () => {
	it('makes tokens of 1–64 characters of A-Z a-z 0-9 _ -, different each time', () => {
		const a = newSendId();
		expect(isValidSendId(a)).toBe(true);
		expect(a).toMatch(/^[0-9a-f]{32}$/);
		expect(newSendId()).not.toBe(a);
		expect(isValidSendId('x'.repeat(64))).toBe(true);
		for (const bad of ['', 'x'.repeat(65), 'a b', 'a:b', 'é'])
			expect(isValidSendId(bad)).toBe(false);
	});

	it('sends the token as a Send-Id header, and refuses a bad one before sending', async () => {
		await chat.user('josie');
		const adrian = await chat.user('adrian', { port: proxy.port });
		await adrian.send('josie', 'with a token', { sendId: 'abc_DEF-123' });
		await adrian.send('josie', 'without one');
		expect(sendIds()).toEqual(['abc_DEF-123']);
		await expect(adrian.send('josie', 'x', { sendId: 'not valid!' })).rejects.toThrow(TypeError);
		expect(proxy.count('SEND')).toBe(2);
	});
});

describe('the outbox', () => {
	it('keeps messages queued while offline and sends them, in order, when back', async () => {
		const josie = await chat.user('josie');
		const received = collectMessages(josie);
		const adrian = await chat.user('adrian', {
			port: proxy.port,
			backoff: { initialDelayMs: 400, maxDelayMs: 400 },
		});
		const outbox = new Outbox(adrian);
		const sent: string[] = [];
		outbox.on('sent', (entry) => sent.push(entry.body));
		const offline = nextEvent(adrian, 'offline');
		proxy.dropAll();
		await offline;
		outbox.enqueue('josie', 'one');
		outbox.enqueue('josie', 'two');
		expect(outbox.pending.map((entry) => entry.body)).toEqual(['one', 'two']);
		await waitUntil(() => sent.length === 2, 'both sent after the reconnection');
		expect(sent).toEqual(['one', 'two']);
		await waitUntil(() => received.length === 2, 'josie to get them');
		expect(received.map((message) => message.body)).toEqual(['one', 'two']);
		outbox.close();
	});

	it('retries with the same Send-Id when the connection drops after the SEND went out: stored once', async () => {
		const josie = await chat.user('josie');
		const adrian = await chat.user('adrian', { port: proxy.port });
		const outbox = new Outbox(adrian);
		const cut = proxy.cutInside('CHAT/1.0 202');
		const sent = once(outbox, 'sent') as Promise<[OutboxEntry, number]>;
		const entry = outbox.enqueue('josie', 'answer lost once');
		await cut;
		const [done, id] = await sent;
		expect(done.sendId).toBe(entry.sendId);
		expect(id).toBeGreaterThan(0);
		// Two SENDs went out, both with the message's one token; the server stored one message.
		expect(sendIds()).toEqual([entry.sendId, entry.sendId]);
		expect(outbox.pending).toEqual([]);
		const stored = await josie.history('adrian');
		expect(stored.map((message) => [message.id, message.body])).toEqual([[id, 'answer lost once']]);
		outbox.close();
	});

	it('drops a message the server refuses, and says so', async () => {
		const adrian = await chat.user('adrian');
		const outbox = new Outbox(adrian);
		const failed = new Promise<unknown>((resolve) =>
			outbox.once('failed', (_, error) => resolve(error)),
		);
		outbox.enqueue('nobody', 'to no one');
		expect(await failed).toMatchObject({ status: 404 });
		expect(outbox.pending).toEqual([]);
		outbox.close();
	});
});
