/**
 * Black-box conformance of §7.1 (own messages), §7.2 (READ/UNREAD), §7.3 (replies), §7.5 (TYPING).
 * Written from PROTOCOL.md's words alone: a real server over real TCP and bare CHAT/1.0 frames.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import {
	isMessage,
	isNotice,
	makeGroup,
	pushesWithin,
	send,
} from '../helpers/conversation-steps.js';
import { historyItem, isMessageId, refusal, refused } from './section7-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('§7.1 own messages on other devices', () => {
	it('pushes a sent message to the sender’s other connections, not the sending one', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(phone, 'josie', 'hello from the phone');
		const copy = await laptop.waitForPush(isMessageId(id));
		expect(copy.target).toBe('josie');
		expect(copy.headers.get('from')).toBe('adrian');
		expect(copy.text).toBe('hello from the phone');
		await josie.waitForPush(isMessageId(id));
		expect(await pushesWithin(phone, isMessage())).toEqual([]);
	});

	it('delivers a direct message to yourself once to each other connection', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const tablet = await chat.user('adrian', { register: false });
		const id = await send(phone, 'adrian', 'note to self');
		for (const device of [laptop, tablet]) {
			await device.waitForPush(isMessageId(id));
			expect(await pushesWithin(device, isMessageId(id))).toEqual([]);
		}
		expect(await pushesWithin(phone, isMessage())).toEqual([]);
	});

	it('queues own messages for a device that was offline, until an ACK covers them', async () => {
		const phone = await chat.user('adrian');
		await chat.user('josie');
		const first = await send(phone, 'josie', 'sent while the laptop slept');
		const laptop = await chat.user('adrian', { register: false });
		const pushed = await laptop.waitForPush(isMessageId(first));
		expect(pushed.headers.get('from')).toBe('adrian');
		expect((await laptop.request('ACK', String(first))).status).toBe(200);
		const later = await chat.user('adrian', { register: false });
		expect(await pushesWithin(later, isMessageId(first))).toEqual([]);
	});

	it('counts an ACK from the sending connection for your other devices too', async () => {
		const phone = await chat.user('adrian');
		await chat.user('josie');
		const id = await send(phone, 'josie', 'acked at once');
		expect((await phone.request('ACK', String(id))).status).toBe(200);
		const laptop = await chat.user('adrian', { register: false });
		expect(await pushesWithin(laptop, isMessageId(id))).toEqual([]);
	});
});

describe('§7.2 READ and UNREAD', () => {
	it('counts unread messages without your own, newest lastId first, and READ keeps the max', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.user('john');
		await makeGroup(josie, 'chat', 'adrian,john');
		const fromJosie = await send(josie, 'adrian', 'one');
		await send(josie, 'adrian', 'two');
		const own = await send(adrian, 'josie', 'mine');
		const inGroup = await send(josie, 'chat', 'group one');

		let unread = (await adrian.request('UNREAD')).json.conversations;
		expect(unread).toEqual([
			{ to: 'chat', group: 'chat', lastRead: 0, lastId: inGroup, unread: 1 },
			{ to: 'josie', group: null, lastRead: 0, lastId: own, unread: 2 },
		]);

		expect((await adrian.request('READ', 'josie', { 'Message-Id': String(own) })).status).toBe(200);
		expect(
			(await adrian.request('READ', 'josie', { 'Message-Id': String(fromJosie) })).status,
		).toBe(200);
		unread = (await adrian.request('UNREAD')).json.conversations;
		expect(unread[1]).toEqual({ to: 'josie', group: null, lastRead: own, lastId: own, unread: 0 });
	});

	it('sends NOTIFY read to your other connections only', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(josie, 'adrian', 'read me');
		expect((await phone.request('READ', 'josie', { 'Message-Id': String(id) })).status).toBe(200);
		const notice = await laptop.waitForPush(isNotice('read'));
		expect(notice.json).toEqual({ to: 'josie', group: null, id });
		expect(await pushesWithin(phone, isNotice('read'))).toEqual([]);
		expect(await pushesWithin(josie, isNotice('read'), 0)).toEqual([]);
	});

	it('names a group in NOTIFY read with to and group = the group', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		await makeGroup(josie, 'chat', 'adrian');
		const id = await send(josie, 'chat', 'group news');
		expect((await phone.request('READ', 'chat', { 'Message-Id': String(id) })).status).toBe(200);
		expect((await laptop.waitForPush(isNotice('read'))).json).toEqual({
			to: 'chat',
			group: 'chat',
			id,
		});
	});

	it('does not list a group you left, and sending does not move your read position', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'chat', 'adrian');
		await send(josie, 'chat', 'before leaving');
		await send(adrian, 'chat', 'bye');
		let unread = (await adrian.request('UNREAD')).json.conversations;
		expect(unread).toEqual([expect.objectContaining({ to: 'chat', lastRead: 0, unread: 1 })]);
		expect((await adrian.request('LEAVE', 'chat')).status).toBe(200);
		unread = (await adrian.request('UNREAD')).json.conversations;
		expect(unread).toEqual([]);
	});

	it('answers 400 for a missing or non-positive Message-Id, 403 and 404 for the target', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'secret', '');
		await send(josie, 'secret', 'hidden');
		const badIds: Record<string, string>[] = [
			{},
			...['0', '-3', 'x', '1.5'].map((id) => ({ 'Message-Id': id })),
		];
		for (const headers of badIds)
			expect(await refusal(adrian.request('READ', 'josie', headers))).toEqual(refused(400));
		expect(await refusal(adrian.request('READ', 'secret', { 'Message-Id': '1' }))).toEqual(
			refused(403),
		);
		expect(await refusal(adrian.request('READ', 'nobody', { 'Message-Id': '1' }))).toEqual(
			refused(404),
		);
		expect((await chat.connect().then((anon) => anon.request('UNREAD'))).status).toBe(401);
	});
});

describe('§7.3 replies', () => {
	it('carries Reply-To on the MSG push and replyTo in HISTORY', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const question = await send(josie, 'adrian', 'lunch?');
		const answer = await send(adrian, 'josie', 'yes', { 'Reply-To': String(question) });
		const pushed = await josie.waitForPush(isMessageId(answer));
		expect(pushed.headers.get('reply-to')).toBe(String(question));
		expect((await historyItem(josie, 'adrian', answer)).replyTo).toBe(question);
		expect((await historyItem(josie, 'adrian', question)).replyTo ?? null).toBeNull();
	});

	it('refuses a reply to another conversation (400), to a missing or invisible message (404)', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const elsewhere = await send(adrian, 'john', 'other conversation');
		const invisible = await send(john, 'josie', 'not for adrian');
		const reply = (to: number) => adrian.request('SEND', 'josie', { 'Reply-To': String(to) }, 'x');
		expect(await refusal(reply(elsewhere))).toEqual(refused(400));
		expect(await refusal(reply(invisible + 1000))).toEqual(refused(404));
		expect(await refusal(reply(invisible))).toEqual(refused(404));
		const history = (await josie.request('HISTORY', 'adrian')).json.messages;
		expect(history).toEqual([]);
	});
});

describe('§7.5 TYPING', () => {
	it('tells the other user of a direct conversation, never your own connections', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const response = await phone.request('TYPING', 'josie');
		expect(response.status).toBe(200);
		expect(response.body.length).toBe(0);
		expect((await josie.waitForPush(isNotice('typing'))).json).toEqual({
			user: 'adrian',
			to: 'josie',
			group: null,
		});
		expect(await pushesWithin(laptop, isNotice('typing'))).toEqual([]);
		expect(await pushesWithin(phone, isNotice('typing'), 0)).toEqual([]);
		expect(await pushesWithin(john, isNotice('typing'), 0)).toEqual([]);
	});

	it('tells every other group member, with to and group = the group; 403 and 404 otherwise', async () => {
		const adrian = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const outsider = await chat.user('zed');
		await makeGroup(adrian, 'chat', 'josie,john');
		expect((await adrian.request('TYPING', 'chat')).status).toBe(200);
		for (const member of [josie, john])
			expect((await member.waitForPush(isNotice('typing'))).json).toEqual({
				user: 'adrian',
				to: 'chat',
				group: 'chat',
			});
		expect(await pushesWithin(laptop, isNotice('typing'))).toEqual([]);
		expect(await pushesWithin(outsider, isNotice('typing'), 0)).toEqual([]);
		expect(await refusal(outsider.request('TYPING', 'chat'))).toEqual(refused(403));
		expect(await refusal(adrian.request('TYPING', 'nobody'))).toEqual(refused(404));
	});
});
