import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import type { RawClient } from '../helpers/raw-client.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture({ maxBodyBytes: 1024 });
});
afterEach(async () => {
	await chat.close();
});

const isMessage = (p: { kind: string }) => p.kind === 'MSG';

async function ackAll(client: RawClient, id: number) {
	expect((await client.request('ACK', String(id))).status).toBe(200);
}

describe('SEND to a user', () => {
	it('answers 202 with a Message-Id and pushes the message to the recipient', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const response = await adrian.request('SEND', 'josie', {}, 'Hey josie! :)');
		expect(response.status).toBe(202);
		const id = Number(response.headers.get('message-id'));
		expect(id).toBeGreaterThan(0);
		const push = await josie.waitForPush(isMessage);
		expect(push.target).toBe('josie');
		expect(push.headers.get('from')).toBe('adrian');
		expect(Number(push.headers.get('message-id'))).toBe(id);
		expect(push.headers.get('date')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(push.headers.has('group')).toBe(false);
		expect(push.text).toBe('Hey josie! :)');
	});

	it('queues messages for an offline user and delivers them in order on login', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const ids: number[] = [];
		for (let i = 0; i < 5; i++) {
			const response = await adrian.request('SEND', 'josie', {}, `message ${i}`);
			ids.push(Number(response.headers.get('message-id')));
		}
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
		const josie = await chat.user('josie', { register: false });
		const received = [];
		for (let i = 0; i < 5; i++) received.push(await josie.waitForPush(isMessage));
		expect(received.map((p) => p.text)).toEqual(ids.map((_, i) => `message ${i}`));
		// They follow the 200 to USE, never precede it.
		expect(received.every((p) => p.responsesBefore >= 1)).toBe(true);
	});

	it('resumes delivery after the response to a re-binding request', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const cookie = josie.cookie;
		await josie.close();
		await adrian.request('SEND', 'josie', {}, 'while you were away');
		const again = await chat.connect();
		again.cookie = cookie;
		expect((await again.request('PING')).status).toBe(200);
		const push = await again.waitForPush(isMessage);
		expect(push.text).toBe('while you were away');
		expect(push.responsesBefore).toBe(1);
	});

	it('redelivers what was not acknowledged, and not what was (cumulative ACK)', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const ids = [];
		for (const text of ['one', 'two', 'three']) {
			ids.push(Number((await adrian.request('SEND', 'josie', {}, text)).headers.get('message-id')));
		}
		const first = await chat.user('josie', { register: false });
		for (let i = 0; i < 3; i++) await first.waitForPush(isMessage);
		await ackAll(first, ids[1]!);
		await first.close();
		const second = await chat.user('josie', { register: false });
		const again = await second.waitForPush(isMessage);
		expect(again.text).toBe('three');
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(second.pushes.filter(isMessage)).toEqual([]);
	});

	it('delivers to every connection of the recipient', async () => {
		const adrian = await chat.user('adrian');
		const phone = await chat.user('josie');
		const laptop = await chat.user('josie', { register: false });
		await adrian.request('SEND', 'josie', {}, 'both of you');
		expect((await phone.waitForPush(isMessage)).text).toBe('both of you');
		expect((await laptop.waitForPush(isMessage)).text).toBe('both of you');
	});

	it('answers 400 for an empty body, 404 for an unknown user, 400 for bad UTF-8', async () => {
		const adrian = await chat.user('adrian');
		expect((await adrian.request('SEND', 'adrian', {}, '')).status).toBe(400);
		expect((await adrian.request('SEND', 'adrian', {}, '  \r\n ')).status).toBe(400);
		expect((await adrian.request('SEND', 'ghost', {}, 'hello')).status).toBe(404);
		expect((await adrian.request('SEND', 'adrian', {}, Buffer.from([0xff, 0xfe]))).status).toBe(
			400,
		);
	});

	it('answers 413 for a body over the limit and closes the connection', async () => {
		const adrian = await chat.user('adrian');
		const response = await adrian.request('SEND', 'adrian', {}, 'x'.repeat(2000));
		expect(response.status).toBe(413);
		await adrian.closed;
	});

	it('keeps text byte for byte: quotes, NUL, RTL, emoji and escapes', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const text =
			"'; DROP TABLE users; --\u0000 \u202eRTL\u202c 🦊 \u001b[31mred\u001b[0m\r\nline two";
		await adrian.request('SEND', 'josie', {}, text);
		expect((await josie.waitForPush(isMessage)).text).toBe(text);
		const history = await josie.request('HISTORY', 'adrian');
		expect(history.json.messages[0].body).toBe(text);
	});
});

describe('SEND to a group', () => {
	it('reaches every member but the sender, with a Group header', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		await adrian.request('MK_GROUP', 'chat');
		await adrian.request('ADD_USER', 'chat', { Invite: 'josie,john' });
		const response = await josie.request('SEND', 'chat', {}, 'Hello everyone');
		expect(response.status).toBe(202);
		for (const member of [adrian, john]) {
			const push = await member.waitForPush(isMessage);
			expect(push.target).toBe('chat');
			expect(push.headers.get('group')).toBe('chat');
			expect(push.headers.get('from')).toBe('josie');
			expect(push.text).toBe('Hello everyone');
		}
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(josie.pushes.filter(isMessage)).toEqual([]);
	});

	it('answers 403 to a non-member', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await adrian.request('MK_GROUP', 'chat');
		expect((await josie.request('SEND', 'chat', {}, 'let me in')).status).toBe(403);
		expect((await josie.request('HISTORY', 'chat')).status).toBe(403);
	});
});

describe('HISTORY', () => {
	it('returns the newest messages oldest first, paged by Before and Limit', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const ids: number[] = [];
		for (let i = 0; i < 10; i++) {
			const from = i % 2 === 0 ? adrian : josie;
			const response = await from.request('SEND', i % 2 === 0 ? 'josie' : 'adrian', {}, `m${i}`);
			ids.push(Number(response.headers.get('message-id')));
		}
		const all = await adrian.request('HISTORY', 'josie');
		expect(all.json.messages.map((m: any) => m.body)).toEqual(ids.map((_, i) => `m${i}`));
		// §7.3: a message that replies to nothing has replyTo absent or null.
		const { replyTo, ...fields } = all.json.messages[0];
		expect(replyTo ?? null).toBeNull();
		expect(Object.keys(fields).sort()).toEqual(
			['body', 'date', 'from', 'group', 'id', 'to'].sort(),
		);
		expect(all.json.messages[0]).toMatchObject({ from: 'adrian', to: 'josie', group: null });
		const page = await josie.request('HISTORY', 'adrian', { Before: String(ids[6]), Limit: '3' });
		expect(page.json.messages.map((m: any) => m.body)).toEqual(['m3', 'm4', 'm5']);
	});

	it('gives [] for a user you never wrote with, 404 for nobody, 400 for bad headers', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		expect((await adrian.request('HISTORY', 'josie')).json).toEqual({ messages: [] });
		expect((await adrian.request('HISTORY', 'ghost')).status).toBe(404);
		expect((await adrian.request('HISTORY', 'josie', { Limit: 'ten' })).status).toBe(400);
		expect((await adrian.request('HISTORY', 'josie', { Before: '-1' })).status).toBe(400);
	});

	it('never shows a DM to a third user', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const john = await chat.user('john');
		await adrian.request('SEND', 'josie', {}, 'just for josie');
		expect((await john.request('HISTORY', 'josie')).json.messages).toEqual([]);
		expect((await john.request('HISTORY', 'adrian')).json.messages).toEqual([]);
		expect((await josie.request('HISTORY', 'adrian')).json.messages).toHaveLength(1);
	});
});

describe('ACK', () => {
	it('answers 400 for a missing or malformed id', async () => {
		const adrian = await chat.user('adrian');
		expect((await adrian.request('ACK')).status).toBe(400);
		expect((await adrian.request('ACK', 'abc')).status).toBe(400);
		expect((await adrian.request('ACK', '0')).status).toBe(400);
	});

	it('does not drop messages that were never delivered', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const sent = await adrian.request('SEND', 'josie', {}, 'not seen yet');
		const josie = await chat.connect();
		// Log in and ACK in one pipelined burst, before the queued message could be pushed.
		josie.write(`USE josie CHAT/1.0\r\nPassword: ${password}\r\n\r\n`);
		josie.write(`ACK ${sent.headers.get('message-id')} CHAT/1.0\r\n\r\n`);
		expect((await josie.nextResponse()).status).toBe(200);
		expect((await josie.nextResponse()).status).toBe(200);
		expect((await josie.waitForPush(isMessage)).text).toBe('not seen yet');
	});
});
