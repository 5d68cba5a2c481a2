/**
 * A black-box check of PROTOCOL.md §7, written from the spec's words alone: a real server over real
 * TCP, bare CHAT/1.0 frames, and each verb, push and error row as the spec words it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import {
	isMessage,
	isNotice,
	makeGroup,
	pushesWithin,
	send,
} from '../helpers/conversation-steps.js';
import type { RawClient, RawPush } from '../helpers/raw-client.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

/** The status and the error text of a refused request, for one readable assertion. */
async function refusal(pending: Promise<{ status: number; json: any }>) {
	const response = await pending;
	return { status: response.status, hasError: typeof response.json?.error === 'string' };
}

const refused = (status: number) => ({ status, hasError: true });

/** The HISTORY item with this id, as `viewer` sees it in `conversation`. */
async function historyItem(viewer: RawClient, conversation: string, id: number) {
	const response = await viewer.request('HISTORY', conversation);
	expect(response.status).toBe(200);
	return response.json.messages.find((item: any) => item.id === id);
}

const isMessageId = (id: number) => (push: RawPush) =>
	push.kind === 'MSG' && push.headers.get('message-id') === String(id);

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

describe('§7.6 SEARCH', () => {
	/** The bodies SEARCH returns, in order. */
	async function found(
		client: RawClient,
		query: string,
		target?: string,
		headers: Record<string, string> = {},
	) {
		const response = await client.request('SEARCH', target, { Query: query, ...headers });
		expect(response.status, response.text).toBe(200);
		return response.json.messages.map((item: any) => item.body);
	}

	it('matches whole words case-insensitively, every query word, prefixes with *, newest first', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		for (const text of [
			'Hello World',
			'helloworld',
			'hell is other people',
			'say HELLO, world!',
			'world only',
		])
			await send(adrian, 'josie', text);
		expect(await found(adrian, 'hello')).toEqual(['say HELLO, world!', 'Hello World']);
		expect(await found(adrian, 'WORLD hello')).toEqual(['say HELLO, world!', 'Hello World']);
		expect(await found(adrian, 'hell*')).toEqual([
			'say HELLO, world!',
			'hell is other people',
			'helloworld',
			'Hello World',
		]);
		expect(await found(adrian, 'hell')).toEqual(['hell is other people']);
		const items = (await adrian.request('SEARCH', undefined, { Query: 'only' })).json.messages;
		expect(items).toEqual([
			expect.objectContaining({ from: 'adrian', to: 'josie', group: null, body: 'world only' }),
		]);
		expect(items[0]).toHaveProperty('id');
		expect(items[0]).toHaveProperty('date');
	});

	it('reads words as runs of Unicode letters and digits; everything else separates', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		for (const text of [
			'Grüße aus MÜNCHEN',
			'Привет, мир',
			'e-mail me: foo_bar/baz42',
			'café au lait',
		])
			await send(adrian, 'josie', text);
		expect(await found(adrian, 'münchen')).toEqual(['Grüße aus MÜNCHEN']);
		expect(await found(adrian, 'grüße')).toEqual(['Grüße aus MÜNCHEN']);
		expect(await found(adrian, 'ПРИВЕТ')).toEqual(['Привет, мир']);
		expect(await found(adrian, 'mail')).toEqual(['e-mail me: foo_bar/baz42']);
		expect(await found(adrian, 'bar baz42 foo')).toEqual(['e-mail me: foo_bar/baz42']);
		expect(await found(adrian, 'caf')).toEqual([]);
		expect(await found(adrian, 'café')).toEqual(['café au lait']);
	});

	it('returns 20 by default, reads a Limit above 100 as 100, and honours Before', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		const ids: number[] = [];
		for (let n = 0; n < 105; n++) ids.push(await send(adrian, 'josie', `ping ${n}`));
		const idsOf = async (headers: Record<string, string>) =>
			(await adrian.request('SEARCH', 'josie', { Query: 'ping', ...headers })).json.messages.map(
				(item: any) => item.id,
			);
		expect(await idsOf({})).toEqual(ids.slice(-20).reverse());
		expect(await idsOf({ Limit: '500' })).toEqual(ids.slice(-100).reverse());
		expect(await idsOf({ Limit: '3', Before: String(ids[10]) })).toEqual([ids[9], ids[8], ids[7]]);
	});

	it('answers 400 for a missing, blank, over-long or wordless Query and a bad Limit or Before', async () => {
		const adrian = await chat.user('adrian');
		await chat.user('josie');
		await send(adrian, 'josie', 'something');
		const search = (headers: Record<string, string>) =>
			refusal(adrian.request('SEARCH', undefined, headers));
		expect(await search({})).toEqual(refused(400));
		expect(await search({ Query: '   ' })).toEqual(refused(400));
		expect(await search({ Query: 'a'.repeat(201) })).toEqual(refused(400));
		expect(await search({ Query: '!!! -- ?' })).toEqual(refused(400));
		for (const Limit of ['abc', '-1', '2.5'])
			expect(await search({ Query: 'something', Limit })).toEqual(refused(400));
		for (const Before of ['abc', '-1'])
			expect(await search({ Query: 'something', Before })).toEqual(refused(400));
		expect(await found(adrian, 'a'.repeat(200))).toEqual([]);
	});

	it('searches one named conversation; 403 for a group you are not in, 404 for no such target', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.user('john');
		await makeGroup(josie, 'secret', 'john');
		await send(adrian, 'josie', 'apple for josie');
		await send(adrian, 'john', 'apple for john');
		await send(josie, 'secret', 'apple in secret');
		expect(await found(adrian, 'apple', 'john')).toEqual(['apple for john']);
		expect(await found(adrian, 'apple')).toEqual(['apple for john', 'apple for josie']);
		expect(await refusal(adrian.request('SEARCH', 'secret', { Query: 'apple' }))).toEqual(
			refused(403),
		);
		expect(await refusal(adrian.request('SEARCH', 'nobody', { Query: 'apple' }))).toEqual(
			refused(404),
		);
	});

	it('never returns a group you left, a deleted message, or an edited message by its old text', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'chat', 'adrian');
		await send(josie, 'chat', 'banana in the group');
		const gone = await send(adrian, 'josie', 'banana to delete');
		const changed = await send(adrian, 'josie', 'banana before');
		expect((await adrian.request('DELETE', String(gone))).status).toBe(200);
		expect((await adrian.request('EDIT', String(changed), {}, 'cherry after')).status).toBe(200);
		expect(await found(adrian, 'banana')).toEqual(['banana in the group']);
		expect(await found(adrian, 'cherry')).toEqual(['cherry after']);
		expect(await found(adrian, 'before')).toEqual([]);
		expect((await adrian.request('LEAVE', 'chat')).status).toBe(200);
		expect(await found(adrian, 'banana')).toEqual([]);
	});
});

describe('§7.7 PASSWD', () => {
	const fresh = 'battery staple';

	it('keeps the calling session and logs every other one out: no pushes, then 401 clearing the cookie', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const response = await phone.request('PASSWD', undefined, {
			Password: password,
			'New-Password': fresh,
		});
		expect(response.status).toBe(200);
		const id = await send(josie, 'adrian', 'after the change');
		await phone.waitForPush(isMessageId(id));
		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
		const old = await laptop.request('PING');
		expect(old.status).toBe(401);
		expect(old.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
		expect((await phone.request('LIST_USER')).status).toBe(200);
		const other = await chat.connect();
		expect((await other.login('adrian', password)).status).toBe(401);
		expect((await other.login('adrian', fresh)).status).toBe(200);
	});

	it('answers 401 for a wrong current password, counted like a failed login', async () => {
		const adrian = await chat.user('adrian');
		for (let n = 0; n < 5; n++) {
			const wrong = adrian.request('PASSWD', undefined, {
				Password: 'not the password',
				'New-Password': fresh,
			});
			expect(await refusal(wrong)).toEqual(refused(401));
		}
		const later = await chat.connect();
		expect((await later.login('adrian', password)).status).toBe(429);
		expect((await adrian.request('PING')).status).toBe(200);
	});

	it('answers 400 for a new password of the wrong length and keeps the old one', async () => {
		const adrian = await chat.user('adrian');
		for (const bad of ['short', 'x'.repeat(257)]) {
			const response = adrian.request('PASSWD', undefined, {
				Password: password,
				'New-Password': bad,
			});
			expect(await refusal(response)).toEqual(refused(400));
		}
		expect(await refusal(adrian.request('PASSWD', undefined, { Password: password }))).toEqual(
			refused(400),
		);
		const other = await chat.connect();
		expect((await other.login('adrian', password)).status).toBe(200);
	});
});

describe('§7.8 Send-Id', () => {
	it('answers a retry with the same 202 and Message-Id, on another connection too, and stores once', async () => {
		const phone = await chat.user('adrian');
		const josie = await chat.user('josie');
		const first = await send(phone, 'josie', 'once', { 'Send-Id': 'abc_DEF-123' });
		const again = await chat.user('adrian', { register: false });
		expect(await send(again, 'josie', 'once', { 'Send-Id': 'abc_DEF-123' })).toBe(first);
		expect(await send(phone, 'josie', 'once', { 'Send-Id': 'abc_DEF-123' })).toBe(first);
		const history = (await josie.request('HISTORY', 'adrian')).json.messages;
		expect(history.map((item: any) => item.id)).toEqual([first]);
		expect(await send(phone, 'josie', 'twice', { 'Send-Id': 'other' })).not.toBe(first);
		const otherUser = await send(josie, 'adrian', 'mine', { 'Send-Id': 'abc_DEF-123' });
		expect(otherUser).not.toBe(first);
	});

	it('answers 400 for a bad token and stores nothing', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		for (const token of ['has space', 'a'.repeat(65), 'ü', 'a.b'])
			expect(await refusal(adrian.request('SEND', 'josie', { 'Send-Id': token }, 'x'))).toEqual(
				refused(400),
			);
		expect((await josie.request('HISTORY', 'adrian')).json.messages).toEqual([]);
		expect(await send(adrian, 'josie', 'ok', { 'Send-Id': 'a'.repeat(64) })).toBeGreaterThan(0);
	});
});

describe('§7 rows at the edges', () => {
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
