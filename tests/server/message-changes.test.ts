import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import {
	isMessage,
	isNotice,
	makeGroup,
	pushesWithin,
	send,
} from '../helpers/conversation-steps.js';
import type { RawClient } from '../helpers/raw-client.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture({ maxBodyBytes: 1024 });
});
afterEach(async () => {
	await chat.close();
});

const isoDate = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function historyOf(client: RawClient, target: string) {
	const response = await client.request('HISTORY', target);
	expect(response.status).toBe(200);
	return response.json.messages as Record<string, unknown>[];
}

describe('§7.4 EDIT', () => {
	it('answers {id, edited}, keeps the newest text in HISTORY and tells every other connection', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(phone, 'josie', 'helo');
		await josie.waitForPush(isMessage('helo'));
		const response = await phone.request('EDIT', String(id), {}, 'hello');
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ id, edited: expect.stringMatching(isoDate) });
		const { edited } = response.json;
		const expected = { id, from: 'adrian', to: 'josie', group: null, body: 'hello', edited };
		for (const other of [josie, laptop]) {
			expect((await other.waitForPush(isNotice('edit'))).json).toEqual(expected);
		}
		expect(await pushesWithin(phone, isNotice('edit'))).toEqual([]);
		const [item] = await historyOf(josie, 'adrian');
		expect(item).toMatchObject({ id, body: 'hello', edited });
		expect(item!.deleted ?? false).toBe(false);
	});

	it('pushes a still-queued message with its current text', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const id = await send(adrian, 'josie', 'first draft');
		expect((await adrian.request('EDIT', String(id), {}, 'final text')).status).toBe(200);
		const josie = await chat.user('josie', { register: false });
		const push = await josie.waitForPush(isMessage());
		expect(push.text).toBe('final text');
		expect(Number(push.headers.get('message-id'))).toBe(id);
	});

	it("refuses blank text, a bad id, someone else's message, a non-party, none, a deleted one", async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		const id = await send(adrian, 'josie', 'original');
		const blank = await adrian.request('EDIT', String(id), {}, '  \r\n ');
		expect(blank.status).toBe(400);
		expect((await adrian.request('EDIT', 'abc', {}, 'x')).status).toBe(400);
		expect((await adrian.request('EDIT', undefined, {}, 'x')).status).toBe(400);
		expect((await adrian.request('EDIT', String(id), {}, Buffer.from([0xff, 0xfe]))).status).toBe(
			400,
		);
		const notMine = await josie.request('EDIT', String(id), {}, 'mine now');
		expect(notMine.status).toBe(403);
		expect(notMine.json.error).toMatch(/sender/);
		expect((await john.request('EDIT', String(id), {}, 'x')).status).toBe(403);
		expect((await adrian.request('EDIT', String(id + 100), {}, 'x')).status).toBe(404);
		expect((await adrian.request('DELETE', String(id))).status).toBe(200);
		const afterDelete = await adrian.request('EDIT', String(id), {}, 'back again');
		expect(afterDelete.status).toBe(409);
		const [item] = await historyOf(adrian, 'josie');
		expect(item).toMatchObject({ id, body: '', deleted: true });
		expect(item!.edited).toBeUndefined();
	});

	it('answers a body over the limit with 413 (closing the connection) and changes nothing', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const id = await send(adrian, 'josie', 'short');
		const response = await adrian.request('EDIT', String(id), {}, 'x'.repeat(2000));
		expect(response.status).toBe(413);
		await adrian.closed;
		const again = await chat.user('adrian', { register: false });
		const [item] = await historyOf(again, 'josie');
		expect(item).toMatchObject({ body: 'short' });
	});
});

describe('§7.4 DELETE', () => {
	it('leaves a tombstone, tells every other connection, and drops the message from the queue', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		await chat.register('josie');
		const kept = await send(phone, 'josie', 'kept');
		const gone = await send(phone, 'josie', 'oops');
		await laptop.waitForPush(isMessage('oops'));
		expect((await phone.request('DELETE', String(gone))).status).toBe(200);
		const notice = await laptop.waitForPush(isNotice('delete'));
		expect(notice.json).toEqual({
			id: gone,
			from: 'adrian',
			to: 'josie',
			group: null,
			by: 'adrian',
		});
		expect(await pushesWithin(phone, isNotice('delete'))).toEqual([]);

		const josie = await chat.user('josie', { register: false });
		expect((await josie.waitForPush(isMessage())).text).toBe('kept');
		expect(await pushesWithin(josie, isMessage())).toEqual([]);
		const items = await historyOf(josie, 'adrian');
		expect(items.map((m) => m.id)).toEqual([kept, gone]);
		expect(items[1]).toMatchObject({ id: gone, from: 'adrian', body: '', deleted: true });
		expect(items[1]!.date).toMatch(isoDate);
		expect((await phone.request('DELETE', String(gone))).status).toBe(409);
	});

	it("in a group: a plain member cannot delete another's message, an admin and the owner can", async () => {
		const owner = await chat.user('owner');
		const admin = await chat.user('admin');
		const plain = await chat.user('plain');
		const outsider = await chat.user('outsider');
		await makeGroup(owner, 'crew', 'admin:admin,plain');
		const first = await send(plain, 'crew', 'first');
		const second = await send(plain, 'crew', 'second');
		const byAdmin = await send(admin, 'crew', 'from the admin');

		const refused = await plain.request('DELETE', String(byAdmin));
		expect(refused.status).toBe(403);
		expect((await outsider.request('DELETE', String(first))).status).toBe(403);
		expect((await admin.request('DELETE', String(first))).status).toBe(200);
		const notice = await plain.waitForPush(isNotice('delete'));
		expect(notice.json).toEqual({
			id: first,
			from: 'plain',
			to: 'crew',
			group: 'crew',
			by: 'admin',
		});
		expect((await owner.waitForPush(isNotice('delete'))).json.by).toBe('admin');
		expect(await pushesWithin(outsider, isNotice('delete'), 0)).toEqual([]);
		expect((await owner.request('DELETE', String(second))).status).toBe(200);
		expect((await plain.request('DELETE', String(first))).status).toBe(409);
		expect((await plain.request('DELETE', String(byAdmin + 100))).status).toBe(404);
		const items = await historyOf(owner, 'crew');
		expect(items.map((m) => m.deleted ?? false)).toEqual([true, true, false]);
	});

	it('lets only the sender delete a direct message', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const id = await send(adrian, 'josie', 'mine');
		expect((await josie.request('DELETE', String(id))).status).toBe(403);
		expect((await josie.request('DELETE', 'x1')).status).toBe(400);
		const anonymous = await chat.connect();
		expect((await anonymous.request('DELETE', String(id))).status).toBe(401);
		expect((await historyOf(adrian, 'josie'))[0]).toMatchObject({ body: 'mine' });
	});
});
