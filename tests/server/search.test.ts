import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { makeGroup, send } from '../helpers/conversation-steps.js';
import type { RawClient } from '../helpers/raw-client.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

async function search(
	client: RawClient,
	query: string,
	headers: Record<string, string> = {},
	target?: string,
) {
	const response = await client.request('SEARCH', target, { Query: query, ...headers });
	expect(response.status, response.text).toBe(200);
	return (response.json.messages as { id: number; body: string }[]).map((m) => m.body);
}

describe('§7.6 SEARCH', () => {
	it('finds whole words case-insensitively, newest first, over every conversation the caller reads', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await chat.register('john');
		await makeGroup(josie, 'crew', 'adrian');
		await send(adrian, 'josie', 'Pizza tonight?');
		await send(josie, 'crew', 'pizza, for the crew');
		await send(josie, 'john', 'pizza for john only');
		await send(josie, 'adrian', 'pizzas are plural');
		await send(adrian, 'josie', 'no match here');
		expect(await search(adrian, 'PIZZA')).toEqual(['pizza, for the crew', 'Pizza tonight?']);
		expect(await search(adrian, 'pizza*')).toEqual([
			'pizzas are plural',
			'pizza, for the crew',
			'Pizza tonight?',
		]);
		expect(await search(adrian, 'pizza crew')).toEqual(['pizza, for the crew']);
		const response = await adrian.request('SEARCH', undefined, { Query: 'tonight' });
		expect(response.json.messages[0]).toMatchObject({
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'Pizza tonight?',
		});
	});

	it('honours a named conversation, Limit (over 100 read as 100) and Before', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'crew', 'adrian');
		const ids: number[] = [];
		for (let i = 0; i < 5; i++) ids.push(await send(josie, 'adrian', `note ${i}`));
		await send(josie, 'crew', 'note in crew');
		expect(await search(adrian, 'note', {}, 'crew')).toEqual(['note in crew']);
		expect(await search(adrian, 'note', { Limit: '2' }, 'josie')).toEqual(['note 4', 'note 3']);
		expect(await search(adrian, 'note', { Before: String(ids[2]) }, 'josie')).toEqual([
			'note 1',
			'note 0',
		]);
		expect(await search(adrian, 'note', { Limit: '5000' })).toHaveLength(6);
	});

	it("never returns a deleted message, matches an edit's newest text, and forgets a group you left", async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(josie, 'crew', 'adrian');
		const gone = await send(adrian, 'josie', 'secret plan');
		const edited = await send(adrian, 'josie', 'old words');
		await send(josie, 'crew', 'crew plan');
		expect((await adrian.request('DELETE', String(gone))).status).toBe(200);
		expect((await adrian.request('EDIT', String(edited), {}, 'new plan')).status).toBe(200);
		expect(await search(adrian, 'plan')).toEqual(['crew plan', 'new plan']);
		expect(await search(adrian, 'old')).toEqual([]);
		expect(await search(adrian, 'secret')).toEqual([]);
		expect((await adrian.request('LEAVE', 'crew')).status).toBe(200);
		expect(await search(adrian, 'plan')).toEqual(['new plan']);
		expect((await adrian.request('SEARCH', 'crew', { Query: 'plan' })).status).toBe(403);
	});

	it('refuses a missing, blank, wordless or too long Query, a bad Limit or Before, and unknown targets', async () => {
		const adrian = await chat.user('adrian');
		await send(adrian, 'adrian', 'something');
		const bad: Record<string, string>[] = [
			{},
			{ Query: '   ' },
			{ Query: '!!! ... ***' },
			{ Query: 'a'.repeat(201) },
			{ Query: 'x', Limit: '0' },
			{ Query: 'x', Limit: 'ten' },
			{ Query: 'x', Before: '-1' },
			{ Query: 'x', Before: 'soon' },
		];
		for (const headers of bad) {
			const response = await adrian.request('SEARCH', undefined, headers);
			expect(response.status, JSON.stringify(headers)).toBe(400);
			expect(response.json.error).toBeTruthy();
		}
		expect((await adrian.request('SEARCH', undefined, { Query: 'a'.repeat(200) })).status).toBe(
			200,
		);
		expect((await adrian.request('SEARCH', 'nobody', { Query: 'x' })).status).toBe(404);
		const anonymous = await chat.connect();
		expect((await anonymous.request('SEARCH', undefined, { Query: 'x' })).status).toBe(401);
	});
});
