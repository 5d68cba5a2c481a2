import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { startTestServer } from '../helpers/test-server.js';
import { RawClient } from '../helpers/raw-client.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

const idOf = (response: { headers: ReadonlyMap<string, string> }) =>
	Number(response.headers.get('message-id'));

describe('SEND with a Send-Id (exactly once across reconnects)', () => {
	it('answers a retry with the same 202 and id, on another connection, and stores one message', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const first = await adrian.request('SEND', 'josie', { 'Send-Id': 'k7_Q-1' }, 'only once');
		expect(first.status).toBe(202);
		const again = await chat.connect();
		again.cookie = adrian.cookie;
		const retry = await again.request('SEND', 'josie', { 'Send-Id': 'k7_Q-1' }, 'only once');
		expect(retry.status).toBe(202);
		expect(idOf(retry)).toBe(idOf(first));
		const other = await adrian.request('SEND', 'josie', { 'Send-Id': 'k7_Q-2' }, 'another');
		expect(idOf(other)).toBeGreaterThan(idOf(first));

		const history = await josie.request('HISTORY', 'adrian');
		expect(history.json.messages.map((m: { body: string }) => m.body)).toEqual([
			'only once',
			'another',
		]);
		// The recipient is pushed the message once.
		await josie.waitForPush((p) => p.text === 'another');
		expect(josie.pushes.filter((p) => p.text === 'only once').length).toBeLessThanOrEqual(1);
	});

	it('keeps tokens per user: the same token from two users is two messages', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const a = await adrian.request('SEND', 'josie', { 'Send-Id': 'same' }, 'from adrian');
		const j = await josie.request('SEND', 'adrian', { 'Send-Id': 'same' }, 'from josie');
		expect(idOf(j)).not.toBe(idOf(a));
	});

	it.each(['', 'has space', 'x'.repeat(65), 'naïve', 'a,b'])(
		'refuses the token %j with a 400',
		async (token) => {
			const adrian = await chat.user('adrian');
			await chat.register('josie');
			const answer = await adrian.request('SEND', 'josie', { 'Send-Id': token }, 'text');
			expect(answer.status).toBe(400);
			expect(answer.json.error).toMatch(/Send-Id/);
			expect((await adrian.request('HISTORY', 'josie')).json.messages).toEqual([]);
		},
	);

	it('still knows a token after a restart', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const first = await adrian.request('SEND', 'josie', { 'Send-Id': 'survives' }, 'durable');
		const cookie = adrian.cookie;
		await chat.server.close();
		const restarted = await startTestServer({}, chat.server.dataDir);
		try {
			const client = await RawClient.connect(restarted.port);
			client.cookie = cookie;
			const retry = await client.request('SEND', 'josie', { 'Send-Id': 'survives' }, 'durable');
			expect(retry.status).toBe(202);
			expect(idOf(retry)).toBe(idOf(first));
			await client.close();
		} finally {
			await restarted.close();
		}
	});
});
