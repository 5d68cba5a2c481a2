import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { isNotice, makeGroup, pushesWithin, send } from '../helpers/conversation-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('§7.2 READ', () => {
	it('moves the read position to max(old, n), durably, and tells only the other connections', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const first = await send(josie, 'adrian', 'one');
		const second = await send(josie, 'adrian', 'two');

		const read = await phone.request('READ', 'josie', { 'Message-Id': String(second) });
		expect(read.status).toBe(200);
		expect(read.json).toEqual({ id: second });
		const notice = await laptop.waitForPush(isNotice('read'));
		expect(notice.json).toEqual({ to: 'josie', group: null, id: second });
		expect(await pushesWithin(phone, isNotice('read'))).toEqual([]);
		expect(await pushesWithin(josie, isNotice('read'), 0)).toEqual([]);

		// An older id does not move it back.
		const older = await laptop.request('READ', 'josie', { 'Message-Id': String(first) });
		expect(older.json).toEqual({ id: second });
		expect((await phone.waitForPush(isNotice('read'))).json.id).toBe(second);
		const unread = await phone.request('UNREAD');
		expect(unread.json.conversations).toEqual([
			{ to: 'josie', group: null, lastRead: second, lastId: second, unread: 0 },
		]);
	});

	it('names a group conversation with the group as to and group', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		await makeGroup(josie, 'crew', 'adrian');
		const id = await send(josie, 'crew', 'hi all');
		expect((await phone.request('READ', 'crew', { 'Message-Id': String(id) })).status).toBe(200);
		const notice = await laptop.waitForPush(isNotice('read'));
		expect(notice.json).toEqual({ to: 'crew', group: 'crew', id });
	});

	it('refuses a missing or bad Message-Id, an unknown target and a group of others', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'secret', '');
		const id = await send(josie, 'adrian', 'hello');
		const bad: Record<string, string>[] = [
			{},
			{ 'Message-Id': 'abc' },
			{ 'Message-Id': '0' },
			{ 'Message-Id': '-3' },
		];
		for (const headers of bad) {
			const response = await adrian.request('READ', 'josie', headers);
			expect(response.status).toBe(400);
			expect(response.json.error).toMatch(/Message-Id/);
		}
		expect((await adrian.request('READ', 'nobody', { 'Message-Id': String(id) })).status).toBe(404);
		expect((await adrian.request('READ', 'secret', { 'Message-Id': String(id) })).status).toBe(403);
		expect((await adrian.request('READ', undefined, { 'Message-Id': String(id) })).status).toBe(
			400,
		);
		const anonymous = await chat.connect();
		expect((await anonymous.request('READ', 'josie', { 'Message-Id': String(id) })).status).toBe(
			401,
		);
		// Nothing moved.
		const unread = await adrian.request('UNREAD');
		expect(unread.json.conversations[0]).toMatchObject({ lastRead: 0, unread: 1 });
	});
});

describe('§7.2 UNREAD', () => {
	it('lists every conversation with a message, newest first, counting what others sent past lastRead', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		await makeGroup(josie, 'crew', 'adrian,john');
		await makeGroup(josie, 'left', 'adrian');
		await send(josie, 'left', 'before adrian left');
		expect((await adrian.request('LEAVE', 'left')).status).toBe(200);

		const fromJosie = await send(josie, 'adrian', 'one');
		await send(josie, 'adrian', 'two');
		await send(adrian, 'josie', 'mine is not unread');
		await send(adrian, 'john', 'only mine here');
		const crew = await send(john, 'crew', 'in the crew');

		expect(
			(await adrian.request('READ', 'josie', { 'Message-Id': String(fromJosie) })).status,
		).toBe(200);
		const response = await adrian.request('UNREAD');
		expect(response.status).toBe(200);
		const byName = response.json.conversations;
		expect(byName.map((c: { to: string }) => c.to)).toEqual(['crew', 'john', 'josie']);
		expect(byName[0]).toEqual({ to: 'crew', group: 'crew', lastRead: 0, lastId: crew, unread: 1 });
		expect(byName[1]).toMatchObject({ to: 'john', group: null, lastRead: 0, unread: 0 });
		expect(byName[2]).toMatchObject({ to: 'josie', group: null, lastRead: fromJosie, unread: 1 });
	});

	it('needs a login, and answers an empty list for a user with no messages', async () => {
		const anonymous = await chat.connect();
		expect((await anonymous.request('UNREAD')).status).toBe(401);
		const adrian = await chat.user('adrian');
		expect((await adrian.request('UNREAD')).json).toEqual({ conversations: [] });
	});
});
