import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatRequestError } from '../../source/client/errors.js';
import { Outbox, type OutboxEntry } from '../../source/client/outbox.js';
import {
	clientFixture,
	collectMessages,
	password,
	type ClientFixture,
} from './support/client-fixture.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { nextEvent, sleep, waitUntil } from './support/wait.js';

// PROTOCOL.md §7 through ChatClient, against a real server over TCP.
let chat: ClientFixture;
beforeEach(async () => {
	chat = await clientFixture();
});
afterEach(async () => {
	await chat.close();
});

const date = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

/** Resolves once every event the server pushed so far has come in (a PING answered after them). */
const settled = async (client: { ping(): Promise<number> }) => {
	await client.ping();
	await sleep(100);
};

describe('your own messages on your other devices (§7.1)', () => {
	it('arrive once on your other client, from you, and never on the one that sent them', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const onPhone = collectMessages(phone);
		const onLaptop = collectMessages(laptop);
		const onJosie = collectMessages(josie);
		await phone.createGroup('chat');
		await phone.addUsers('chat', [{ user: 'josie' }]);

		const direct = await phone.send('josie', 'to josie');
		const inGroup = await phone.send('chat', 'to the group');
		const toMyself = await phone.send('adrian', 'a note to self');
		await waitUntil(() => onLaptop.length === 3 && onJosie.length === 2, 'the pushes');
		await settled(laptop);
		await settled(phone);
		expect(onLaptop).toEqual([
			{ id: direct, from: 'adrian', to: 'josie', group: null, body: 'to josie', date },
			{ id: inGroup, from: 'adrian', to: 'chat', group: 'chat', body: 'to the group', date },
			{ id: toMyself, from: 'adrian', to: 'adrian', group: null, body: 'a note to self', date },
		]);
		expect(onPhone).toEqual([]);
		expect(onJosie.map((message) => message.id)).toEqual([direct, inGroup]);
	});

	it('reach a device that was away at its next login', async () => {
		const phone = await chat.user('adrian');
		await chat.user('josie');
		const id = await phone.send('josie', 'while the laptop was off');
		const laptop = await chat.client();
		const onLaptop = collectMessages(laptop);
		await laptop.login('adrian', password);
		await waitUntil(() => onLaptop.length === 1, 'the queued own message');
		expect(onLaptop[0]).toMatchObject({ id, from: 'adrian', to: 'josie' });
	});

	it('are dropped when the sending client gets them again after a re-bind', async () => {
		const proxy = await TcpProxy.start(chat.server.port);
		try {
			await chat.user('josie');
			// A long ACK interval: nothing the client takes is acknowledged before the drop.
			const adrian = await chat.user('adrian', { port: proxy.port, ackIntervalMs: 60_000 });
			const mine = collectMessages(adrian);
			const id = await adrian.send('josie', 'sent before the drop');
			await settled(adrian);
			expect(proxy.countPushes('MSG')).toBe(0);

			const online = nextEvent(adrian, 'online');
			proxy.dropAll();
			await online;
			// The re-bound connection is pushed the un-ACKed message (it is queued for adrian too)…
			await waitUntil(() => proxy.countPushes('MSG') === 1, 'the redelivery');
			await settled(adrian);
			// …and the client, whose send() already answered that id, does not surface it again.
			expect(mine).toEqual([]);
			expect(adrian.hasSeen(id)).toBe(true);
		} finally {
			await proxy.close();
		}
	});
});

describe('replies (§7.3)', () => {
	it('carry replyTo in the push and in history; a reply into another conversation is refused', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.user('john');
		const first = await adrian.send('josie', 'lunch?');
		const received = nextEvent(adrian, 'message');
		const reply = await josie.send('adrian', 'yes!', { replyTo: first });
		expect((await received)[0]).toEqual({
			id: reply,
			from: 'josie',
			to: 'adrian',
			group: null,
			body: 'yes!',
			date,
			replyTo: first,
		});
		const history = await adrian.history('josie');
		expect(history.map(({ id, replyTo }) => ({ id, replyTo }))).toEqual([
			{ id: first, replyTo: undefined },
			{ id: reply, replyTo: first },
		]);
		await expect(adrian.send('john', 'not here', { replyTo: first })).rejects.toMatchObject({
			name: 'ChatRequestError',
			status: 400,
		});
		await expect(adrian.send('josie', 'x', { replyTo: 0 })).rejects.toThrow(TypeError);
		expect(await adrian.history('john')).toEqual([]);
	});
});

describe('replies through the outbox', () => {
	it('keeps replyTo on an entry and sends it with its Send-Id', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const first = await josie.send('adrian', 'ready?');
		const outbox = new Outbox(adrian);
		try {
			const sent = once(outbox, 'sent');
			const entry = outbox.enqueue('josie', 'ready', { replyTo: first });
			expect(entry).toMatchObject({ target: 'josie', body: 'ready', replyTo: first });
			const [, id] = (await sent) as [OutboxEntry, number];
			expect((await josie.history('adrian')).at(-1)).toMatchObject({ id, replyTo: first });
			const refused = once(outbox, 'failed');
			outbox.enqueue('josie', 'to nothing', { replyTo: id + 1000 });
			const [, error] = (await refused) as [OutboxEntry, ChatRequestError];
			expect(error).toBeInstanceOf(ChatRequestError);
			expect(error.status).toBe(404);
		} finally {
			outbox.close();
		}
	});
});

describe('read markers and unread counts (§7.2)', () => {
	it('marks read, tells your other devices, and counts what others sent after the marker', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		const a = await josie.send('adrian', 'one');
		await josie.send('adrian', 'two');
		const mine = await phone.send('josie', 'mine does not count');
		const c = await josie.send('chat', 'group news');

		expect(await phone.unread()).toEqual([
			{ to: 'chat', group: 'chat', lastRead: 0, lastId: c, unread: 1 },
			{ to: 'josie', group: null, lastRead: 0, lastId: mine, unread: 2 },
		]);
		const told = nextEvent(laptop, 'read');
		const onPhone: unknown[] = [];
		phone.on('read', (event) => onPhone.push(event));
		expect(await phone.markRead('josie', a)).toBe(a);
		expect(await told).toEqual([{ to: 'josie', group: null, id: a }]);
		// The position never goes back.
		expect(await phone.markRead('josie', 1)).toBe(a);
		expect(await laptop.unread()).toContainEqual({
			to: 'josie',
			group: null,
			lastRead: a,
			lastId: mine,
			unread: 1,
		});
		await settled(phone);
		expect(onPhone).toEqual([]);
	});

	it('refuses a read marker for a group you are not in, before or by the server', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await josie.createGroup('secret');
		const id = await josie.send('secret', 'members only');
		await expect(adrian.markRead('secret', id)).rejects.toMatchObject({ status: 403 });
		await expect(adrian.markRead('nobody', id)).rejects.toMatchObject({ status: 404 });
		await expect(adrian.markRead('josie', -1)).rejects.toThrow(TypeError);
		await expect(adrian.markRead('not a name', 1)).rejects.toThrow(TypeError);
	});
});

describe('edits and deletes (§7.4)', () => {
	it('edits your message: the others get an edit event, history the new text', async () => {
		const adrian = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await adrian.send('josie', 'helo');
		const toJosie = nextEvent(josie, 'edit');
		const toLaptop = nextEvent(laptop, 'edit');
		const edited = await adrian.edit(id, 'hello');
		expect(edited).toEqual({ id, edited: date });
		const event = {
			id,
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'hello',
			edited: edited.edited,
		};
		expect(await toJosie).toEqual([event]);
		expect(await toLaptop).toEqual([event]);
		expect(await josie.history('adrian')).toEqual([
			{ id, from: 'adrian', to: 'josie', group: null, body: 'hello', date, edited: edited.edited },
		]);
	});

	it('deletes: a delete event, a tombstone in history, and 409 the second time', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const id = await adrian.send('josie', 'oops');
		const told = nextEvent(josie, 'delete');
		await adrian.deleteMessage(id);
		expect(await told).toEqual([{ id, from: 'adrian', to: 'josie', group: null, by: 'adrian' }]);
		expect(await josie.history('adrian')).toEqual([
			{ id, from: 'adrian', to: 'josie', group: null, body: '', date, deleted: true },
		]);
		await expect(adrian.deleteMessage(id)).rejects.toMatchObject({ status: 409 });
		await expect(adrian.edit(id, 'back')).rejects.toMatchObject({ status: 409 });
	});

	it("refuses others' messages, blank text and unknown ids, changing nothing", async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const id = await josie.send('adrian', 'mine');
		const refusals = [
			adrian.edit(id, 'not yours'),
			adrian.deleteMessage(id),
			josie.edit(id, '   '),
			josie.edit(id + 100, 'gone'),
		];
		const results = await Promise.allSettled(refusals);
		expect(
			results.map((result) =>
				result.status === 'rejected' && result.reason instanceof ChatRequestError
					? result.reason.status
					: result.status,
			),
		).toEqual([403, 403, 400, 404]);
		await expect(josie.edit(0, 'x')).rejects.toThrow(TypeError);
		await expect(josie.deleteMessage(1.5)).rejects.toThrow(TypeError);
		expect(await adrian.history('josie')).toEqual([
			{ id, from: 'josie', to: 'adrian', group: null, body: 'mine', date },
		]);
	});

	it('lets a group owner delete a member message; every member is told who did', async () => {
		const owner = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		await owner.createGroup('chat');
		await owner.addUsers('chat', [{ user: 'josie' }, { user: 'john' }]);
		const id = await josie.send('chat', 'spam');
		const toJosie = nextEvent(josie, 'delete');
		const toJohn = nextEvent(john, 'delete');
		await owner.deleteMessage(id);
		const event = { id, from: 'josie', to: 'chat', group: 'chat', by: 'adrian' };
		expect(await toJosie).toEqual([event]);
		expect(await toJohn).toEqual([event]);
		await expect(john.deleteMessage(await josie.send('chat', 'x'))).rejects.toMatchObject({
			status: 403,
		});
	});
});

describe('typing (§7.5)', () => {
	it('tells the other party of a direct conversation, and every other member of a group', async () => {
		const adrian = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const onLaptop: unknown[] = [];
		laptop.on('typing', (event) => onLaptop.push(event));
		const direct = nextEvent(josie, 'typing');
		await adrian.typing('josie');
		expect(await direct).toEqual([{ user: 'adrian', to: 'josie', group: null }]);

		await adrian.createGroup('chat');
		await adrian.addUsers('chat', [{ user: 'josie' }, { user: 'john' }]);
		const inGroup = [nextEvent(josie, 'typing'), nextEvent(john, 'typing')];
		await adrian.typing('chat');
		for (const each of await Promise.all(inGroup)) {
			expect(each).toEqual([{ user: 'adrian', to: 'chat', group: 'chat' }]);
		}
		await settled(laptop);
		expect(onLaptop).toEqual([]);
		await expect(john.typing('nobody')).rejects.toMatchObject({ status: 404 });
	});
});

describe('search (§7.6)', () => {
	it('finds whole words and prefixes, newest first, in one conversation or all', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await adrian.createGroup('chat');
		await adrian.addUsers('chat', [{ user: 'josie' }]);
		const a = await adrian.send('josie', 'Lunch at noon?');
		const b = await josie.send('chat', 'who wants lunch');
		const c = await josie.send('adrian', 'lunchbox is not lunch… wait');
		const d = await josie.send('adrian', 'the lunchroom, then');
		await adrian.send('chat', 'nothing to see');

		const all = await adrian.search('LUNCH');
		expect(all.map((message) => message.id)).toEqual([c, b, a]);
		expect(all.at(-1)).toEqual({
			id: a,
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'Lunch at noon?',
			date,
		});
		expect((await adrian.search(['lunch*'], { in: 'josie' })).map((m) => m.id)).toEqual([d, c, a]);
		expect((await adrian.search('lunch', { limit: 1 })).map((m) => m.id)).toEqual([c]);
		expect((await adrian.search('lunch', { before: b })).map((m) => m.id)).toEqual([a]);
		expect(await adrian.search('lunch noon dinner')).toEqual([]);
	});

	it('never finds deleted messages, and finds edited ones by their new text', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const gone = await adrian.send('josie', 'secret plan');
		const changed = await adrian.send('josie', 'old words');
		await adrian.deleteMessage(gone);
		await adrian.edit(changed, 'new plan');
		expect((await adrian.search('plan')).map((m) => m.id)).toEqual([changed]);
		expect(await adrian.search('old')).toEqual([]);
	});

	it('refuses nothing to search for locally, and a conversation you are not in', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await josie.createGroup('secret');
		await expect(adrian.search('  \n ')).rejects.toThrow(TypeError);
		await expect(adrian.search([])).rejects.toThrow(TypeError);
		await expect(adrian.search('x', { in: 'secret' })).rejects.toMatchObject({ status: 403 });
		await expect(adrian.search('x', { limit: 0 })).rejects.toMatchObject({ status: 400 });
		// A line break inside the words is only a separator, as on the server.
		await adrian.send('josie', 'two words');
		expect(await adrian.search('two\nwords')).toHaveLength(1);
	});
});

describe('changing the password (§7.7)', () => {
	it('logs out your other clients, keeps this one, and the new password is the one', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const newPassword = 'battery staple horse';
		await expect(phone.changePassword('wrong password', newPassword)).rejects.toMatchObject({
			status: 401,
		});
		await expect(phone.changePassword(password, 'short')).rejects.toMatchObject({ status: 400 });
		await phone.changePassword(password, newPassword);
		const loggedOut = nextEvent(laptop, 'logged-out');
		await expect(laptop.listUsers()).rejects.toMatchObject({ status: 401 });
		expect(await loggedOut).toEqual(['expired', 'adrian']);
		expect(laptop.user).toBeUndefined();
		expect(phone.user).toBe('adrian');
		expect((await phone.listUsers()).map((user) => user.name)).toEqual(['adrian']);

		const other = await chat.client();
		await expect(other.login('adrian', password)).rejects.toMatchObject({ status: 401 });
		expect((await other.login('adrian', newPassword)).user).toBe('adrian');
	});

	it('stops pushes to the logged-out client', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const onLaptop = collectMessages(laptop);
		await phone.changePassword(password, 'a brand new one');
		await josie.send('adrian', 'after the change');
		await josie.typing('adrian');
		await settled(josie);
		await sleep(200);
		expect(onLaptop).toEqual([]);
	});
});
