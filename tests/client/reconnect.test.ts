import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClient } from '../../source/client/chat-client.js';
import { ChatNetworkError } from '../../source/client/errors.js';
import { startTestServer } from '../helpers/test-server.js';
import {
	clientFixture,
	collectMessages,
	password,
	type ClientFixture,
} from './support/client-fixture.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { nextEvent, sleep, waitUntil } from './support/wait.js';

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

const bodies = (client: { body: string }[]) => client.map((message) => message.body);

/** Waits until `client` has logged in josie's queue fully and the server had time to push more. */
async function settle(client: ChatClient) {
	await client.ping();
	await sleep(150);
}

describe('a server restart under a connected client', () => {
	it('re-binds by itself and receives what was sent meanwhile, exactly once', async () => {
		const first = chat.server;
		// Slow first retry, so the messages below are surely sent while josie is away.
		const josie = await chat.user('josie', {
			ackIntervalMs: 60_000,
			backoff: { initialDelayMs: 1500 },
		});
		const received = collectMessages(josie);
		const adrian = await chat.user('adrian');
		await adrian.send('josie', 'before the restart');
		await waitUntil(() => received.length === 1, 'the first message');

		const offline = nextEvent(josie, 'offline');
		await first.close();
		const [reason, retryInMs] = await offline;
		expect(reason).toBeInstanceOf(ChatNetworkError);
		expect(retryInMs).toBeGreaterThan(0);
		chat.server = await startTestServer({ port: first.port }, first.dataDir);
		try {
			const sender = await chat.user('adrian', { register: false });
			await sender.send('josie', 'during 1');
			await sender.send('josie', 'during 2');
			expect(josie.state).not.toBe('online');

			const online = nextEvent(josie, 'online', 5000);
			await online;
			expect(josie.user).toBe('josie');
			await waitUntil(() => received.length >= 3, 'the messages sent meanwhile');
			await settle(josie);
			// "before the restart" was redelivered (never acknowledged) and dropped as a duplicate.
			expect(bodies(received)).toEqual(['before the restart', 'during 1', 'during 2']);
		} finally {
			await chat.server.close();
			chat.server = first;
		}
	});
});

describe('a connection cut in the middle of a frame', () => {
	it('reconnects, re-binds and surfaces the interrupted message once', async () => {
		const josie = await chat.user('josie', { port: proxy.port });
		const received = collectMessages(josie);
		const adrian = await chat.user('adrian');
		const cut = proxy.cutInside('MSG ');
		const offline = nextEvent(josie, 'offline');
		await adrian.send('josie', 'cut in half');
		await cut;
		expect((await offline)[0]).toMatchObject({ kind: 'closed' });
		await nextEvent(josie, 'online');
		await waitUntil(() => received.length === 1, 'the message after reconnecting');
		await adrian.send('josie', 'and the next one');
		await waitUntil(() => received.length === 2, 'the next message');
		await settle(josie);
		expect(bodies(received)).toEqual(['cut in half', 'and the next one']);
		// The cut push was never whole; the redelivered one and the next were.
		expect(proxy.countPushes('MSG')).toBe(2);
	});
});

describe('exactly-once delivery', () => {
	it('drops the messages the server redelivers after a re-bind', async () => {
		const josie = await chat.user('josie', { port: proxy.port, ackIntervalMs: 60_000 });
		const received = collectMessages(josie);
		const adrian = await chat.user('adrian');
		for (const text of ['one', 'two', 'three']) await adrian.send('josie', text);
		await waitUntil(() => received.length === 3, 'three messages');
		proxy.dropAll();
		await nextEvent(josie, 'online');
		// The server sends all three again (none was acknowledged); none surfaces again.
		await waitUntil(() => proxy.countPushes('MSG') === 6, 'the redelivery');
		await settle(josie);
		expect(bodies(received)).toEqual(['one', 'two', 'three']);
	});

	it('acknowledges in batches, and what was acknowledged is not delivered again', async () => {
		const josie = await chat.user('josie', { port: proxy.port });
		const received = collectMessages(josie);
		const adrian = await chat.user('adrian');
		const ids = await Promise.all(
			Array.from({ length: 250 }, (_, i) => adrian.send('josie', `message ${i}`)),
		);
		await waitUntil(() => received.length === 250, 'all 250 messages');
		await waitUntil(() => proxy.sentByClients.includes(`ACK ${ids[249]} `), 'the last ACK');
		// One ACK when 200 were waiting, one for the rest at the end of the interval.
		expect(proxy.count('ACK')).toBeGreaterThanOrEqual(2);
		expect(proxy.count('ACK')).toBeLessThanOrEqual(4);

		const again = await chat.client();
		const redelivered = collectMessages(again);
		await again.login('josie', password);
		await settle(again);
		expect(redelivered).toEqual([]);
	});

	it('keeps a message unacknowledged when a listener throws, and surfaces it again after a re-bind', async () => {
		const josie = await chat.user('josie', { port: proxy.port });
		const taken: string[] = [];
		let failures = 0;
		josie.on('message', (message) => {
			if (message.body === 'two' && failures++ === 0) throw new Error('disk full');
			taken.push(message.body);
		});
		const errors: unknown[] = [];
		josie.on('listener-error', (error) => errors.push(error));
		const adrian = await chat.user('adrian');
		for (const text of ['one', 'two', 'three']) await adrian.send('josie', text);
		await waitUntil(() => taken.length === 2 && errors.length === 1, 'one, then three');
		expect(taken).toEqual(['one', 'three']);
		await sleep(250);
		// Cumulative ACKs must stop short of the refused message.
		expect(proxy.sentByClients).not.toMatch(/ACK (?!1 )/);

		proxy.dropAll();
		await waitUntil(() => taken.length === 3, 'two, on redelivery');
		await settle(josie);
		expect(taken).toEqual(['one', 'three', 'two']);
		const again = await chat.client();
		const redelivered = collectMessages(again);
		await again.login('josie', password);
		await settle(again);
		expect(redelivered).toEqual([]);
	});
});

describe('a silently dead connection', () => {
	it('is noticed by the keep-alive PING timing out, then replaced', async () => {
		const josie = await chat.user('josie', {
			port: proxy.port,
			keepAliveMs: 100,
			pingTimeoutMs: 200,
		});
		const received = collectMessages(josie);
		const offline = nextEvent(josie, 'offline');
		proxy.freeze();
		const started = Date.now();
		const [reason] = await offline;
		expect(reason).toMatchObject({ kind: 'timeout' });
		expect(Date.now() - started).toBeLessThan(2000);
		await nextEvent(josie, 'online');
		const adrian = await chat.user('adrian');
		await adrian.send('josie', 'still there?');
		await waitUntil(() => received.length === 1, 'the message on the new connection');
	});
});

describe('requests while the connection is down', () => {
	it('wait for the reconnection, and are then answered', async () => {
		const josie = await chat.user('josie', { port: proxy.port });
		proxy.dropAll();
		await nextEvent(josie, 'offline');
		const users = await josie.listUsers();
		expect(users.map((user) => user.name)).toEqual(['josie']);
		expect(josie.state).toBe('online');
	});

	it('reject with ChatNetworkError `offline` if it does not come back in time', async () => {
		const josie = await chat.user('josie', { port: proxy.port, offlineWaitMs: 300 });
		await proxy.close();
		await nextEvent(josie, 'offline');
		const started = Date.now();
		await expect(josie.listUsers()).rejects.toMatchObject({
			name: 'ChatNetworkError',
			kind: 'offline',
		});
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('fail with `closed` when in flight as the connection drops (they may have been done)', async () => {
		const josie = await chat.user('josie', { port: proxy.port });
		proxy.freeze();
		const ping = josie.ping();
		await sleep(50);
		proxy.dropAll();
		await expect(ping).rejects.toMatchObject({ name: 'ChatNetworkError', kind: 'closed' });
	});
});

describe('a server given as several nodes', () => {
	it('connects to the first node that answers, and moves to the next when its node goes', async () => {
		const dead = await TcpProxy.start(chat.server.port);
		const deadPort = dead.port;
		await dead.close();
		const client = await chat.client({
			server: `127.0.0.1:${deadPort},127.0.0.1:${proxy.port},127.0.0.1:${chat.server.port}`,
		});
		expect(client.state).toBe('online');
		await client.register('josie', password);
		await client.login('josie', password);

		// Its node goes away: the client goes on to the next one (the server itself, here) and
		// re-binds the same session there.
		const online = nextEvent(client, 'online', 5000);
		await proxy.close();
		await online;
		expect(client.user).toBe('josie');
		expect((await client.listUsers()).map((u) => u.name)).toContain('josie');
	});
});
