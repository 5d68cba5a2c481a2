import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawClient } from '../helpers/raw-client.js';
import { healthz, meteredChat, scrape, type Scrape } from './support/scrape.js';

type Chat = Awaited<ReturnType<typeof meteredChat>>;
const chats: Chat[] = [];
afterEach(async () => {
	for (const chat of chats.splice(0)) await chat.close();
});

async function start(...args: Parameters<typeof meteredChat>): Promise<Chat> {
	const chat = await meteredChat(...args);
	chats.push(chat);
	return chat;
}

const messagePushes = (client: RawClient) => client.pushes.filter((push) => push.kind === 'MSG');
const requests = (scraped: Scrape, verb: string, status: number) =>
	scraped.count('korichat_requests_total', { verb, status: String(status) });

describe('/metrics', () => {
	it('counts 1,000 SENDs exactly: stored, SEND 202, and every push that happened', async () => {
		const chat = await start();
		const sender = await chat.user('ann');
		const otherDevice = await chat.user('ann', { register: false });
		const bob = await chat.user('bob');
		const before = await scrape(chat.endpoint);

		// Pipelined, so that writes share group commits.
		const answers = await Promise.all(
			Array.from({ length: 1000 }, (_, index) => sender.request('SEND', 'bob', {}, `m${index}`)),
		);
		expect(answers.every((answer) => answer.status === 202)).toBe(true);
		await vi.waitFor(() => {
			expect(messagePushes(bob)).toHaveLength(1000);
			expect(messagePushes(otherDevice)).toHaveLength(1000);
		});
		const after = await scrape(chat.endpoint);

		const delta = (name: string, labels: Record<string, string> = {}) =>
			after.count(name, labels) - before.count(name, labels);
		expect(delta('korichat_messages_stored_total')).toBe(1000);
		expect(requests(after, 'SEND', 202) - requests(before, 'SEND', 202)).toBe(1000);
		// The sender's own connection is not pushed its own messages (§7.1).
		expect(messagePushes(sender)).toHaveLength(0);
		const pushed = [sender, otherDevice, bob].reduce((sum, c) => sum + messagePushes(c).length, 0);
		expect(delta('korichat_deliveries_total')).toBe(pushed);

		// Every SEND is a journal record; one fsync carried many of them.
		const commits = delta('korichat_journal_group_commit_records_count');
		expect(delta('korichat_journal_group_commit_records_sum')).toBeGreaterThanOrEqual(1000);
		expect(commits).toBeGreaterThan(0);
		expect(commits).toBeLessThan(1000);
		expect(delta('korichat_journal_fsync_duration_seconds_count')).toBe(commits);
		expect(delta('korichat_journal_fsync_duration_seconds_sum')).toBeGreaterThan(0);
		// Each record carries its body ("m0"…"m999", 2–4 bytes) and more.
		expect(delta('korichat_journal_bytes_total')).toBeGreaterThan(1000 * 4);
	});

	it('counts a repeated Send-Id as a request but not as a new message, and each failure by status', async () => {
		const chat = await start();
		const ann = await chat.user('ann');
		await chat.register('bob');
		const before = await scrape(chat.endpoint);
		for (let attempt = 0; attempt < 3; attempt++) {
			expect((await ann.request('SEND', 'bob', { 'Send-Id': 'once' }, 'hello')).status).toBe(202);
		}
		expect((await ann.request('SEND', 'nobody', {}, 'hello')).status).toBe(404);
		expect((await ann.request('FROBNICATE', 'x')).status).toBe(405);
		expect((await ann.request('FROBNICATE_MORE', 'x')).status).toBe(405);
		ann.write('this is not a request\r\n\r\n');
		expect((await ann.nextResponse()).status).toBe(400);
		const after = await scrape(chat.endpoint);

		expect(
			after.count('korichat_messages_stored_total') -
				before.count('korichat_messages_stored_total'),
		).toBe(1);
		expect(requests(after, 'SEND', 202) - requests(before, 'SEND', 202)).toBe(3);
		expect(requests(after, 'SEND', 404) - requests(before, 'SEND', 404)).toBe(1);
		// Made-up verbs share one label, so a client cannot make a time series each.
		expect(requests(after, 'unknown', 405) - requests(before, 'unknown', 405)).toBe(2);
		expect(after.text).not.toContain('FROBNICATE');
		expect(requests(after, 'malformed', 400) - requests(before, 'malformed', 400)).toBe(1);
		expect(requests(after, 'USE', 200)).toBe(1);
	});

	it('follows connections and logged-in users as they connect, log in and leave', async () => {
		const chat = await start();
		await chat.register('ann');
		await chat.register('bob');
		const gauges = async () => {
			const scraped = await scrape(chat.endpoint);
			return [scraped.get('korichat_connections'), scraped.get('korichat_logged_in_users')];
		};
		await vi.waitFor(async () => expect(await gauges()).toEqual([0, 0]));

		const anonymous = await chat.connect();
		await vi.waitFor(async () => expect(await gauges()).toEqual([1, 0]));
		const ann = await chat.user('ann', { register: false });
		expect(await gauges()).toEqual([2, 1]);
		// A second device of the same user is one more connection, not one more user.
		const annAgain = await chat.user('ann', { register: false });
		expect(await gauges()).toEqual([3, 1]);
		const bob = await chat.user('bob', { register: false });
		expect(await gauges()).toEqual([4, 2]);

		await ann.close();
		await vi.waitFor(async () => expect(await gauges()).toEqual([3, 2]));
		await annAgain.close();
		await vi.waitFor(async () => expect(await gauges()).toEqual([2, 1]));
		await Promise.all([bob.close(), anonymous.close()]);
		await vi.waitFor(async () => expect(await gauges()).toEqual([0, 0]));
	});

	it('reads the queue depth from the store, and caches it so scrapes cannot load the database', async () => {
		const fresh = await start({}, { queueDepthMaxAgeMs: 0 });
		const ann = await fresh.user('ann');
		await fresh.register('bob');
		const depth = async () => (await scrape(fresh.endpoint)).get('korichat_queue_depth');
		expect(await depth()).toBe(0);
		let lastId = '';
		for (let index = 0; index < 3; index++) {
			const answer = await ann.request('SEND', 'bob', {}, `m${index}`);
			lastId = answer.headers.get('message-id')!;
		}
		// Queued for bob, and for ann (her other devices).
		expect(await depth()).toBe(6);
		expect((await ann.request('ACK', lastId)).status).toBe(200);
		expect(await depth()).toBe(3);

		const cached = await start({}, { queueDepthMaxAgeMs: 60_000 });
		const cy = await cached.user('cy');
		const cachedDepth = async () => (await scrape(cached.endpoint)).get('korichat_queue_depth');
		expect(await cachedDepth()).toBe(0);
		expect((await cy.request('SEND', 'cy', {}, 'note to self')).status).toBe(202);
		expect(await cachedDepth()).toBe(0);
	});

	it('times snapshots', async () => {
		const chat = await start({ snapshotAfterBytes: 4096 });
		const ann = await chat.user('ann');
		for (let index = 0; index < 20; index++) {
			expect((await ann.request('SEND', 'ann', {}, `${index}`.padEnd(500, '.'))).status).toBe(202);
		}
		await vi.waitFor(async () => {
			const scraped = await scrape(chat.endpoint);
			expect(scraped.count('korichat_snapshot_duration_seconds_count')).toBeGreaterThan(0);
		});
		const scraped = await scrape(chat.endpoint);
		expect(scraped.count('korichat_snapshot_duration_seconds_sum')).toBeGreaterThan(0);
		expect(scraped.get('korichat_snapshot_failures_total')).toBe(0);
	});

	it('carries prom-client’s process and event-loop metrics', async () => {
		const chat = await start();
		const scraped = await scrape(chat.endpoint);
		expect(scraped.get('process_cpu_seconds_total')).toBeGreaterThan(0);
		expect(scraped.get('process_resident_memory_bytes')).toBeGreaterThan(0);
		expect(scraped.get('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
		expect(scraped.text).toMatch(/^# TYPE nodejs_eventloop_lag_p99_seconds gauge$/m);
		expect(scraped.get('korichat_storage_writable')).toBe(1);
		expect((await healthz(chat.endpoint)).status).toBe(200);
	});
});
