/**
 * Black-box conformance of §7.4 (EDIT/DELETE) and the §7 rows where verbs meet (members only, audiences).
 * Written from PROTOCOL.md's words alone: a real server over real TCP and bare CHAT/1.0 frames.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { isNotice, makeGroup, pushesWithin, send } from '../helpers/conversation-steps.js';
import { historyItem, isMessageId, refusal, refused } from './section7-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('§7.4 EDIT and DELETE', () => {
	it('edits your message: 200 {id, edited}, HISTORY shows the newest text, NOTIFY edit to every other connection', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(phone, 'josie', 'helo');
		const original = await historyItem(josie, 'adrian', id);
		expect(original).not.toHaveProperty('edited');
		const response = await phone.request('EDIT', String(id), {}, 'hello');
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ id, edited: expect.any(String) });
		expect(Number.isNaN(Date.parse(response.json.edited))).toBe(false);
		const payload = {
			id,
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'hello',
			edited: response.json.edited,
		};
		expect((await josie.waitForPush(isNotice('edit'))).json).toEqual(payload);
		expect((await laptop.waitForPush(isNotice('edit'))).json).toEqual(payload);
		expect(await pushesWithin(phone, isNotice('edit'))).toEqual([]);
		const item = await historyItem(josie, 'adrian', id);
		expect(item).toMatchObject({
			id,
			from: 'adrian',
			body: 'hello',
			edited: response.json.edited,
			date: original.date,
		});
	});

	it('refuses EDIT: 400 blank, 403 not yours, 404 missing, 409 deleted, 413 too large', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const mine = await send(adrian, 'josie', 'mine');
		const theirs = await send(josie, 'adrian', 'theirs');
		expect(await refusal(adrian.request('EDIT', String(mine), {}, '  \r\n '))).toEqual(
			refused(400),
		);
		expect(await refusal(adrian.request('EDIT', String(mine)))).toEqual(refused(400));
		expect(await refusal(adrian.request('EDIT', String(theirs), {}, 'hijack'))).toEqual(
			refused(403),
		);
		expect(await refusal(adrian.request('EDIT', String(theirs + 1000), {}, 'x'))).toEqual(
			refused(404),
		);
		expect((await adrian.request('DELETE', String(mine))).status).toBe(200);
		expect(await refusal(adrian.request('EDIT', String(mine), {}, 'again'))).toEqual(refused(409));
		// Nothing was lost: the refused edits left the texts as they were.
		expect((await historyItem(adrian, 'josie', theirs)).body).toBe('theirs');
		const big = await adrian.request('EDIT', String(theirs), {}, 'x'.repeat(64 * 1024 + 1));
		expect(big.status).toBe(413);
		await adrian.closed;
	});

	it('deletes into a tombstone; a second DELETE is 409; NOTIFY delete reaches every party but the changer', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(phone, 'josie', 'oops');
		const before = await historyItem(josie, 'adrian', id);
		expect((await phone.request('DELETE', String(id))).status).toBe(200);
		const payload = { id, from: 'adrian', to: 'josie', group: null, by: 'adrian' };
		expect((await josie.waitForPush(isNotice('delete'))).json).toEqual(payload);
		expect((await laptop.waitForPush(isNotice('delete'))).json).toEqual(payload);
		expect(await pushesWithin(phone, isNotice('delete'))).toEqual([]);
		const tombstone = await historyItem(josie, 'adrian', id);
		expect(tombstone).toMatchObject({
			id,
			from: 'adrian',
			to: 'josie',
			group: null,
			date: before.date,
			deleted: true,
			body: '',
		});
		expect(await refusal(phone.request('DELETE', String(id)))).toEqual(refused(409));
		expect(await refusal(phone.request('DELETE', String(id + 1000)))).toEqual(refused(404));
	});

	it('in a group: a plain member may not delete another’s message (403); an admin and the owner may', async () => {
		const owner = await chat.user('olga');
		const admin = await chat.user('anna');
		const member = await chat.user('mike');
		const other = await chat.user('pete');
		await makeGroup(owner, 'chat', 'anna:admin,mike,pete');
		const first = await send(other, 'chat', 'first');
		const second = await send(other, 'chat', 'second');
		expect(await refusal(member.request('DELETE', String(first)))).toEqual(refused(403));
		expect(await refusal(admin.request('EDIT', String(first), {}, 'x'))).toEqual(refused(403));
		expect((await admin.request('DELETE', String(first))).status).toBe(200);
		expect((await owner.request('DELETE', String(second))).status).toBe(200);
		const notice = await member.waitForPush(
			(push) => isNotice('delete')(push) && push.json.id === first,
		);
		expect(notice.json).toEqual({ id: first, from: 'pete', to: 'chat', group: 'chat', by: 'anna' });
		const outsider = await chat.user('zed');
		expect(await refusal(outsider.request('DELETE', String(second)))).toEqual(refused(403));
	});

	it('pushes a queued message with its current text, and a deleted one not at all', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const edited = await send(adrian, 'josie', 'draft');
		const deleted = await send(adrian, 'josie', 'regret');
		const kept = await send(adrian, 'josie', 'plain');
		expect((await adrian.request('EDIT', String(edited), {}, 'final')).status).toBe(200);
		expect((await adrian.request('DELETE', String(deleted))).status).toBe(200);
		const josie = await chat.user('josie', { register: false });
		expect((await josie.waitForPush(isMessageId(edited))).text).toBe('final');
		await josie.waitForPush(isMessageId(kept));
		expect(await pushesWithin(josie, isMessageId(deleted))).toEqual([]);
	});
});

describe('§7 rows at the edges', () => {
	it('answers 403 to EDIT and DELETE of a direct message between two other users', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.user('john');
		const theirs = await send(josie, 'john', 'between us');
		expect(await refusal(adrian.request('EDIT', String(theirs), {}, 'x'))).toEqual(refused(403));
		expect(await refusal(adrian.request('DELETE', String(theirs)))).toEqual(refused(403));
		expect((await historyItem(josie, 'john', theirs)).body).toBe('between us');
	});

	it('lists a direct conversation you only wrote in, and your self-conversation, with 0 unread', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const toJosie = await send(adrian, 'josie', 'anyone there?');
		const toSelf = await send(adrian, 'adrian', 'memo');
		const unread = (await adrian.request('UNREAD')).json.conversations;
		expect(unread).toEqual([
			{ to: 'adrian', group: null, lastRead: 0, lastId: toSelf, unread: 0 },
			{ to: 'josie', group: null, lastRead: 0, lastId: toJosie, unread: 0 },
		]);
	});

	it('pushes your group message to your other connections with the Group header', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		await chat.user('josie');
		await makeGroup(phone, 'chat', 'josie');
		const id = await send(phone, 'chat', 'to the group');
		const copy = await laptop.waitForPush(isMessageId(id));
		expect(copy.target).toBe('chat');
		expect(copy.headers.get('group')).toBe('chat');
		expect(copy.headers.get('from')).toBe('adrian');
	});

	it('lets only current members act on a group: after LEAVE your own message is 403 to EDIT, DELETE and READ', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'chat', 'adrian');
		const id = await send(adrian, 'chat', 'before leaving');
		expect((await adrian.request('LEAVE', 'chat')).status).toBe(200);
		expect(await refusal(adrian.request('EDIT', String(id), {}, 'x'))).toEqual(refused(403));
		expect(await refusal(adrian.request('DELETE', String(id)))).toEqual(refused(403));
		expect(await refusal(adrian.request('READ', 'chat', { 'Message-Id': String(id) }))).toEqual(
			refused(403),
		);
		expect(await refusal(adrian.request('TYPING', 'chat'))).toEqual(refused(403));
		expect((await historyItem(josie, 'chat', id)).body).toBe('before leaving');
	});

	it('tells every member, the sender included, when an admin deletes or the sender edits in a group', async () => {
		const owner = await chat.user('olga');
		const admin = await chat.user('anna');
		const sender = await chat.user('pete');
		await makeGroup(owner, 'chat', 'anna:admin,pete');
		const id = await send(sender, 'chat', 'typo');
		const edit = await sender.request('EDIT', String(id), {}, 'fixed');
		for (const member of [owner, admin])
			expect((await member.waitForPush(isNotice('edit'))).json).toEqual({
				id,
				from: 'pete',
				to: 'chat',
				group: 'chat',
				body: 'fixed',
				edited: edit.json.edited,
			});
		expect((await admin.request('DELETE', String(id))).status).toBe(200);
		const payload = { id, from: 'pete', to: 'chat', group: 'chat', by: 'anna' };
		for (const member of [owner, sender])
			expect((await member.waitForPush(isNotice('delete'))).json).toEqual(payload);
		expect(await pushesWithin(admin, isNotice('delete'))).toEqual([]);
	});

	it('does not push an edited or deleted own message to your offline device with old text', async () => {
		const phone = await chat.user('adrian');
		await chat.user('josie');
		const edited = await send(phone, 'josie', 'first try');
		const deleted = await send(phone, 'josie', 'never mind');
		expect((await phone.request('EDIT', String(edited), {}, 'second try')).status).toBe(200);
		expect((await phone.request('DELETE', String(deleted))).status).toBe(200);
		const laptop = await chat.user('adrian', { register: false });
		expect((await laptop.waitForPush(isMessageId(edited))).text).toBe('second try');
		expect(await pushesWithin(laptop, isMessageId(deleted))).toEqual([]);
	});

	it('sends no typing notice to yourself for a direct message to yourself', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		expect((await phone.request('TYPING', 'adrian')).status).toBe(200);
		expect(await pushesWithin(laptop, isNotice('typing'))).toEqual([]);
	});

	it('refuses a Reply-To that is not a message id with 400', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		for (const value of ['abc', '-1', '0'])
			expect(await refusal(adrian.request('SEND', 'josie', { 'Reply-To': value }, 'x'))).toEqual(
				refused(400),
			);
		expect((await josie.request('HISTORY', 'adrian')).json.messages).toEqual([]);
	});

	it('answers a retried Send-Id with the first id even when the text differs, and keeps the first text', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const id = await send(adrian, 'josie', 'original', { 'Send-Id': 'retry-1' });
		expect(await send(adrian, 'josie', 'changed', { 'Send-Id': 'retry-1' })).toBe(id);
		const history = (await josie.request('HISTORY', 'adrian')).json.messages;
		expect(history.map((item: any) => item.body)).toEqual(['original']);
	});

	it('stops every push to a connection logged out by PASSWD, typing notices included', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const changed = await phone.request('PASSWD', undefined, {
			Password: password,
			'New-Password': 'battery staple',
		});
		expect(changed.status).toBe(200);
		expect((await josie.request('TYPING', 'adrian')).status).toBe(200);
		await phone.waitForPush(isNotice('typing'));
		expect(await pushesWithin(laptop, isNotice('typing'))).toEqual([]);
		expect(
			(
				await chat.connect().then((anon) =>
					anon.request('PASSWD', undefined, {
						Password: password,
						'New-Password': 'battery staple',
					}),
				)
			).status,
		).toBe(401);
	});

	it('refuses a SEARCH query of no words made of a lone star', async () => {
		const adrian = await chat.user('adrian');
		expect(await refusal(adrian.request('SEARCH', undefined, { Query: '*' }))).toEqual(
			refused(400),
		);
	});
});
