import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import {
	clientFixture,
	collectMessages,
	password,
	type ClientFixture,
} from './support/client-fixture.js';
import { nextEvent, waitUntil } from './support/wait.js';

let chat: ClientFixture;
beforeEach(async () => {
	chat = await clientFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('ChatClient accounts', () => {
	it('registers (with a display name), logs in, and logs out', async () => {
		const client = await chat.client();
		expect(await client.register('Adrian', password, 'Adrian Smith')).toEqual({
			name: 'adrian',
			displayName: 'Adrian Smith',
		});
		expect(client.user).toBeUndefined();
		const session = await client.login('adrian', password);
		expect(session.user).toBe('adrian');
		expect(session.sessionId).toMatch(/^[0-9a-f-]{36}$/);
		expect(client.user).toBe('adrian');
		const loggedOut = nextEvent(client, 'logged-out');
		await client.logout();
		expect(await loggedOut).toEqual(['logout', 'adrian']);
		expect(client.user).toBeUndefined();
		await expect(client.listUsers()).rejects.toMatchObject({ status: 401 });
	});

	it('pings, resolving with the round trip in milliseconds', async () => {
		const client = await chat.client();
		const rtt = await client.ping();
		expect(rtt).toBeGreaterThan(0);
		expect(rtt).toBeLessThan(5000);
	});

	it('lists users with display names and who is online', async () => {
		const adrian = await chat.user('adrian');
		await (await chat.client()).register('josie', password, 'Josie');
		expect(await adrian.listUsers()).toEqual([
			{ name: 'adrian', displayName: 'adrian', online: true },
			{ name: 'josie', displayName: 'Josie', online: false },
		]);
	});

	it('pipelines many requests and matches each response to its request', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const sends = Array.from({ length: 30 }, (_, i) => adrian.send('josie', `message ${i}`));
		const lists = [
			adrian.listUsers(),
			adrian.listGroups(),
			adrian.history('josie', { limit: 1 }),
		] as const;
		const ids = await Promise.all(sends);
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		expect(new Set(ids).size).toBe(30);
		const [users, groups, history] = await Promise.all(lists);
		expect(users).toHaveLength(2);
		expect(groups).toEqual([]);
		expect(history.map((m) => m.body)).toEqual(['message 29']);
	});
});

describe('ChatClient groups', () => {
	it('creates a group, adds members with roles, lists them, removes, leaves, deletes', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.user('john');
		expect(await adrian.createGroup('chat')).toEqual({ name: 'chat', owner: 'adrian' });
		expect(
			await adrian.addUsers('chat', [{ user: 'josie', role: 'admin' }, { user: 'john' }]),
		).toEqual(['josie', 'john']);
		expect(await adrian.listUsers('chat')).toEqual([
			{ name: 'adrian', displayName: 'adrian', online: true, role: 'owner' },
			{ name: 'john', displayName: 'john', online: true, role: 'user' },
			{ name: 'josie', displayName: 'josie', online: true, role: 'admin' },
		]);
		expect(await josie.listGroups()).toEqual([
			{ name: 'chat', owner: 'adrian', role: 'admin', members: 3 },
		]);
		expect(await josie.removeUsers('chat', ['john'])).toEqual(['john']);
		await josie.leaveGroup('chat');
		expect(await josie.listGroups()).toEqual([]);
		await adrian.deleteGroup('chat');
		expect(await adrian.listGroups()).toEqual([]);
	});

	it('refuses names that would change what is asked, before sending anything', async () => {
		const adrian = await chat.user('adrian');
		await adrian.createGroup('chat');
		await expect(adrian.addUsers('chat', [{ user: 'a,b' }])).rejects.toThrow(TypeError);
		await expect(adrian.removeUsers('chat', ['x:admin'])).rejects.toThrow(/invalid user name/);
		await expect(adrian.send('two words', 'hi')).rejects.toThrow(/invalid user or group name/);
		await expect(adrian.ack(0)).rejects.toThrow(TypeError);
	});
});

describe('ChatClient messages', () => {
	it('sends to a user: a message id, a typed `message` event, and history', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const received = nextEvent(josie, 'message');
		const id = await adrian.send('josie', 'Hey josie! :)');
		const [message] = await received;
		expect(message).toEqual({
			id,
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'Hey josie! :)',
			date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
		});
		expect(await josie.history('adrian')).toEqual([message]);
	});

	it('sends to a group: every member but the sender gets it, marked with the group', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const fromAdrian = collectMessages(adrian);
		await adrian.createGroup('chat');
		await adrian.addUsers('chat', [{ user: 'josie' }]);
		const received = nextEvent(josie, 'message');
		const id = await adrian.send('chat', 'hello everyone');
		expect((await received)[0]).toMatchObject({ id, from: 'adrian', to: 'chat', group: 'chat' });
		expect(fromAdrian).toEqual([]);
	});

	it('delivers what was queued while offline on login, in order, once', async () => {
		const adrian = await chat.user('adrian');
		await (await chat.client()).register('josie', password);
		for (let i = 0; i < 5; i++) await adrian.send('josie', `queued ${i}`);
		const josie = await chat.client();
		const received = collectMessages(josie);
		await josie.login('josie', password);
		await waitUntil(() => received.length === 5, 'the queued messages');
		await josie.ping();
		expect(received.map((m) => m.body)).toEqual([0, 1, 2, 3, 4].map((i) => `queued ${i}`));
	});

	it('pages history backwards with before and limit, oldest first', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const ids = [];
		for (let i = 1; i <= 5; i++) ids.push(await adrian.send('josie', `m${i}`));
		const last = await adrian.history('josie', { limit: 2 });
		expect(last.map((m) => m.body)).toEqual(['m4', 'm5']);
		const earlier = await adrian.history('josie', { before: last[0]!.id, limit: 2 });
		expect(earlier.map((m) => m.body)).toEqual(['m2', 'm3']);
		expect(await adrian.history('josie', { before: ids[0]! })).toEqual([]);
	});

	it('says when a page was cut short by size, and pages on to the first message', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const bodies = Array.from({ length: 24 }, (_, i) => `${i} `.padEnd(60_000, 'z'));
		await Promise.all(bodies.map((body) => adrian.send('josie', body)));
		const first = await adrian.historyPage('josie', { limit: 100 });
		expect(first.more).toBe(true);
		expect(first.messages.length).toBeLessThan(24);
		const pages = [first.messages];
		for (let page = first; page.more;) {
			page = await adrian.historyPage('josie', { before: page.messages[0]!.id, limit: 100 });
			pages.unshift(page.messages);
		}
		expect(pages.flat().map((m) => m.body)).toEqual(bodies);
	});

	it('acknowledges explicitly with ack(id): nothing is redelivered after', async () => {
		const adrian = await chat.user('adrian');
		await (await chat.client()).register('josie', password);
		const id = await adrian.send('josie', 'one');
		// No message listener: the client takes nothing, so it acknowledges nothing by itself.
		const josie = await chat.user('josie', { register: false });
		await josie.ping();
		// ACK is clamped by what this connection was pushed: let the queue reach it first.
		await new Promise((resolve) => setTimeout(resolve, 300));
		await josie.ack(id);
		await josie.close();
		const again = await chat.client();
		const messages = collectMessages(again);
		await again.login('josie', password);
		await again.ping();
		await new Promise((resolve) => setTimeout(resolve, 150));
		expect(messages).toEqual([]);
	});
});

describe('ChatClient notifications', () => {
	it('emits presence, user and group events', async () => {
		const adrian = await chat.user('adrian');
		const newcomer = nextEvent(adrian, 'user');
		const josie = await chat.client();
		await josie.register('josie', password, 'Josie J');
		expect(await newcomer).toEqual([{ user: 'josie', displayName: 'Josie J' }]);

		const online = nextEvent(adrian, 'presence');
		await josie.login('josie', password);
		expect(await online).toEqual([{ user: 'josie', online: true }]);

		const added = nextEvent(josie, 'group');
		await adrian.createGroup('chat');
		await adrian.addUsers('chat', [{ user: 'josie', role: 'admin' }]);
		expect(await added).toEqual([
			{ group: 'chat', event: 'added', user: 'josie', by: 'adrian', role: 'admin' },
		]);
		const deleted = nextEvent(josie, 'group');
		await adrian.deleteGroup('chat');
		expect(await deleted).toEqual([{ group: 'chat', event: 'deleted', by: 'adrian' }]);

		const offline = nextEvent(adrian, 'presence');
		await josie.close();
		expect(await offline).toEqual([{ user: 'josie', online: false }]);
	});

	it('keeps working when a listener throws, and reports it as listener-error', async () => {
		const adrian = await chat.user('adrian');
		adrian.on('user', () => {
			throw new Error('listener bug');
		});
		const reported = nextEvent(adrian, 'listener-error');
		await (await chat.client()).register('josie', password);
		const [error, event] = await reported;
		expect((error as Error).message).toBe('listener bug');
		expect(event).toBe('user');
		expect(await adrian.ping()).toBeGreaterThan(0);
	});
});

describe('ChatClient connection states', () => {
	it('goes connecting → online, and rejects requests before connect() or after close()', async () => {
		const client = new ChatClient({ server: `127.0.0.1:${chat.server.port}` });
		expect(client.state).toBe('idle');
		await expect(client.ping()).rejects.toMatchObject({
			name: 'ChatNetworkError',
			kind: 'offline',
		});
		const states: string[] = [];
		client.on('connecting', (attempt) => states.push(`connecting ${attempt}`));
		client.on('online', () => states.push('online'));
		await client.connect();
		expect(states).toEqual(['connecting 0', 'online']);
		expect(client.state).toBe('online');
		await client.close();
		expect(client.state).toBe('closed');
		await expect(client.ping()).rejects.toMatchObject({ kind: 'offline' });
	});
});
