/**
 * Black-box conformance of §7.6 (SEARCH), §7.7 (PASSWD) and §7.8 (Send-Id).
 * Written from PROTOCOL.md's words alone: a real server over real TCP and bare CHAT/1.0 frames.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { isMessage, makeGroup, pushesWithin, send } from '../helpers/conversation-steps.js';
import type { RawClient } from '../helpers/raw-client.js';
import { isMessageId, refusal, refused } from './section7-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
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

	it('answers a retry sent to another target with the first id, storing nothing new', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const id = await send(adrian, 'josie', 'to josie', { 'Send-Id': 'moved' });
		expect(await send(adrian, 'john', 'to josie', { 'Send-Id': 'moved' })).toBe(id);
		expect((await john.request('HISTORY', 'adrian')).json.messages).toEqual([]);
		expect((await josie.request('HISTORY', 'adrian')).json.messages).toHaveLength(1);
	});

	it('answers 400 for a bad token and stores nothing', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		for (const token of ['', 'has space', 'a'.repeat(65), 'ü', 'a.b'])
			expect(await refusal(adrian.request('SEND', 'josie', { 'Send-Id': token }, 'x'))).toEqual(
				refused(400),
			);
		expect((await josie.request('HISTORY', 'adrian')).json.messages).toEqual([]);
		expect(await send(adrian, 'josie', 'ok', { 'Send-Id': 'a'.repeat(64) })).toBeGreaterThan(0);
	});
});
