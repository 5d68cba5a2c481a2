import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { isNotice, makeGroup, pushesWithin } from '../helpers/conversation-steps.js';

let chat: ChatFixture;
let now = Date.parse('2026-12-01T10:00:00.000Z');
beforeEach(async () => {
	chat = await chatFixture({ clock: () => now });
});
afterEach(async () => {
	await chat.close();
});

describe('§7.5 TYPING', () => {
	it("tells the other user of a DM, never the typist's own connections", async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const response = await phone.request('TYPING', 'josie');
		expect(response.status).toBe(200);
		expect(response.body.length).toBe(0);
		const notice = await josie.waitForPush(isNotice('typing'));
		expect(notice.json).toEqual({ user: 'adrian', to: 'josie', group: null });
		expect(await pushesWithin(laptop, isNotice('typing'))).toEqual([]);
		expect(await pushesWithin(phone, isNotice('typing'), 0)).toEqual([]);
	});

	it('tells every other member of a group, with the group as to and group', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const outsider = await chat.user('outsider');
		await makeGroup(adrian, 'crew', 'josie,john');
		expect((await josie.request('TYPING', 'crew')).status).toBe(200);
		for (const member of [adrian, john]) {
			const notice = await member.waitForPush(isNotice('typing'));
			expect(notice.json).toEqual({ user: 'josie', to: 'crew', group: 'crew' });
		}
		expect(await pushesWithin(josie, isNotice('typing'))).toEqual([]);
		expect(await pushesWithin(outsider, isNotice('typing'), 0)).toEqual([]);
	});

	it('coalesces a client that sends TYPING in a loop into one notice per couple of seconds', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		for (let i = 0; i < 30; i++) expect((await adrian.request('TYPING', 'josie')).status).toBe(200);
		expect(await pushesWithin(josie, isNotice('typing'))).toHaveLength(1);
		now += 3000;
		expect((await adrian.request('TYPING', 'josie')).status).toBe(200);
		expect(await pushesWithin(josie, isNotice('typing'))).toHaveLength(2);
	});

	it('stores nothing and refuses an unknown target, a group of others and no login', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'secret', '');
		expect((await adrian.request('TYPING', 'nobody')).status).toBe(404);
		expect((await adrian.request('TYPING', 'secret')).status).toBe(403);
		expect((await adrian.request('TYPING')).status).toBe(400);
		expect((await adrian.request('TYPING', 'bad/name!')).status).toBe(400);
		const anonymous = await chat.connect();
		expect((await anonymous.request('TYPING', 'josie')).status).toBe(401);
		expect((await adrian.request('TYPING', 'josie')).status).toBe(200);
		expect((await adrian.request('HISTORY', 'josie')).json.messages).toEqual([]);
		expect((await adrian.request('UNREAD')).json.conversations).toEqual([]);
	});
});
