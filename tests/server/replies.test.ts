import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { isMessage, makeGroup, send } from '../helpers/conversation-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('§7.3 Reply-To', () => {
	it('carries Reply-To on the MSG push and replyTo in HISTORY', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const question = await send(adrian, 'josie', 'lunch?');
		const answer = await send(josie, 'adrian', 'yes!', { 'Reply-To': String(question) });
		const push = await adrian.waitForPush(isMessage('yes!'));
		expect(push.headers.get('reply-to')).toBe(String(question));
		expect((await josie.waitForPush(isMessage('lunch?'))).headers.has('reply-to')).toBe(false);

		const history = await adrian.request('HISTORY', 'josie');
		const items = history.json.messages;
		expect(items.map((m: { id: number }) => m.id)).toEqual([question, answer]);
		expect(items[0].replyTo ?? null).toBeNull();
		expect(items[1].replyTo).toBe(question);
	});

	it('works in a group and answers a Send-Id retry with the same 202', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(adrian, 'crew', 'josie');
		const first = await send(adrian, 'crew', 'plan?');
		const headers = { 'Reply-To': String(first), 'Send-Id': 'reply-1' };
		const reply = await send(josie, 'crew', 'this', headers);
		const retry = await send(josie, 'crew', 'this', headers);
		expect(retry).toBe(reply);
		const push = await adrian.waitForPush(isMessage('this'));
		expect(push.headers.get('reply-to')).toBe(String(first));
		expect(push.headers.get('group')).toBe('crew');
		const history = await adrian.request('HISTORY', 'crew');
		expect(history.json.messages.filter((m: { body: string }) => m.body === 'this')).toHaveLength(
			1,
		);
	});

	it('refuses a bad id (400), another conversation (400), one you cannot see or none (404)', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.register('john');
		const withJosie = await send(adrian, 'josie', 'to josie');
		const withJohn = await send(adrian, 'john', 'to john');
		const josieToJohn = await send(josie, 'john', 'between josie and john');

		for (const value of ['abc', '0', '1.5', '']) {
			const response = await adrian.request('SEND', 'josie', { 'Reply-To': value }, 'x');
			expect(response.status, value).toBe(400);
		}
		const other = await adrian.request('SEND', 'josie', { 'Reply-To': String(withJohn) }, 'x');
		expect(other.status).toBe(400);
		expect(other.json.error).toMatch(/conversation/);
		const hidden = await adrian.request('SEND', 'josie', { 'Reply-To': String(josieToJohn) }, 'x');
		expect(hidden.status).toBe(404);
		const none = await adrian.request(
			'SEND',
			'josie',
			{ 'Reply-To': String(josieToJohn + 100) },
			'x',
		);
		expect(none.status).toBe(404);
		// Nothing was stored by the refused ones.
		const history = await adrian.request('HISTORY', 'josie');
		expect(history.json.messages.map((m: { id: number }) => m.id)).toEqual([withJosie]);
	});
});
