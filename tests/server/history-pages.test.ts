import { afterEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import type { RawClient } from '../helpers/raw-client.js';

// HISTORY pages are bounded in bytes as well as in count (docs/protocol.md): a page stops once
// its JSON passes 1 MiB, always holds one message, and says "more" when it stopped early.

let chat: ChatFixture | undefined;
afterEach(async () => {
	await chat?.close();
	chat = undefined;
});

const mebibyte = 1024 * 1024;

async function sendAll(sender: RawClient, to: string, bodies: string[]): Promise<void> {
	for (let start = 0; start < bodies.length; start += 16) {
		const batch = bodies
			.slice(start, start + 16)
			.map((body) => sender.request('SEND', to, {}, body));
		for (const response of await Promise.all(batch)) expect(response.status).toBe(202);
	}
}

/** Every page from the newest back, with Before = the oldest id of the page before. */
async function readBack(client: RawClient, target: string, limit: number) {
	const pages: Array<{ ids: number[]; bodies: string[]; more: unknown; bytes: number }> = [];
	let before: number | undefined;
	for (;;) {
		const headers: Record<string, string> = { Limit: String(limit) };
		if (before !== undefined) headers.Before = String(before);
		const response = await client.request('HISTORY', target, headers);
		expect(response.status).toBe(200);
		const messages: Array<{ id: number; body: string }> = response.json.messages;
		pages.push({
			ids: messages.map((m) => m.id),
			bodies: messages.map((m) => m.body),
			more: response.json.more,
			bytes: response.body.length,
		});
		if (messages.length < limit && response.json.more !== true) return pages;
		if (messages.length === 0) return pages;
		before = messages[0]!.id;
	}
}

describe('HISTORY pages bounded in bytes', () => {
	it('cuts a page of large messages at about 1 MiB, says more, and pages on to the oldest', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		const bodies = Array.from({ length: 60 }, (_, i) => `${i} `.padEnd(60_000, 'x'));
		await sendAll(adrian, 'josie', bodies);
		const pages = await readBack(josie, 'adrian', 500);
		expect(pages.length).toBeGreaterThan(2);
		for (const page of pages.slice(0, -1)) {
			expect(page.more).toBe(true);
			expect(page.ids.length).toBeLessThan(500);
			expect(page.bytes).toBeLessThan(mebibyte + 70_000);
			expect(page.ids).toEqual([...page.ids].sort((a, b) => a - b));
		}
		expect(pages.at(-1)!.more).toBeUndefined();
		expect(pages.reverse().flatMap((page) => page.bodies)).toEqual(bodies);
	}, 30_000);

	it('bounds the escaped size: bodies of control bytes give fewer messages a page', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		// Each byte is six in JSON (\u0001): about 360 KB an item.
		const bodies = Array.from({ length: 8 }, (_, i) => `${i}`.padEnd(60_000, '\u0001'));
		await sendAll(adrian, 'josie', bodies);
		const pages = await readBack(josie, 'adrian', 100);
		for (const page of pages) expect(page.bytes).toBeLessThan(mebibyte + 400_000);
		expect(pages[0]!.ids.length).toBeLessThanOrEqual(3);
		expect(pages[0]!.ids.length).toBeGreaterThanOrEqual(1);
		expect(pages.reverse().flatMap((page) => page.bodies)).toEqual(bodies);
	}, 30_000);

	it('keeps the plain shape for small messages: exactly Limit, no "more"', async () => {
		chat = await chatFixture();
		const adrian = await chat.user('adrian');
		const bodies = Array.from({ length: 30 }, (_, i) => `hello ${i}`);
		await sendAll(adrian, 'adrian', bodies);
		const page = await adrian.request('HISTORY', 'adrian', { Limit: '20' });
		expect(Object.keys(page.json)).toEqual(['messages']);
		expect(page.json.messages.map((m: { body: string }) => m.body)).toEqual(bodies.slice(10));
	});
});
