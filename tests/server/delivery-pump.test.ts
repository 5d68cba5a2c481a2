import { describe, expect, it } from 'vitest';
import type { MessageRecord } from '../../source/domain/types.js';
import { DeliveryPump } from '../../source/server/delivery-pump.js';

const message = (id: number): MessageRecord => ({
	id,
	from: 'adrian',
	to: 'josie',
	group: null,
	body: `m${id}`,
	date: '2026-11-25T00:00:00.000Z',
});

function pumpOver(queue: MessageRecord[], options: { canWrite?: () => boolean } = {}) {
	const pushed: number[] = [];
	const canWrite = options.canWrite ?? (() => true);
	const sink = {
		deliver: (m: MessageRecord) => {
			pushed.push(m.id);
		},
		canDeliver: () => canWrite(),
	};
	const pump = new DeliveryPump('josie', sink, {
		fetch: async (user, afterId, limit) => {
			expect(user).toBe('josie');
			return queue.filter((m) => m.id > afterId).slice(0, limit);
		},
		durable: async () => undefined,
		maxInFlight: 3,
		pageSize: 2,
	});
	return { pump, pushed };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryPump', () => {
	it('pushes nothing before start, not even a live message', async () => {
		const queue = [message(1)];
		const { pump, pushed } = pumpOver(queue);
		queue.push(message(2));
		pump.offer(message(2));
		await settle();
		expect(pushed).toEqual([]);
		pump.start();
		await settle();
		expect(pushed).toEqual([1, 2]);
	});

	it('streams the backlog in pages, then stops at the in-flight cap until an ACK', async () => {
		const queue = [1, 2, 3, 4, 5].map(message);
		const { pump, pushed } = pumpOver(queue);
		pump.start();
		await settle();
		expect(pushed).toEqual([1, 2, 3]);
		pump.acknowledged(2);
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4, 5]);
	});

	it('sends each message once when live offers race the backlog', async () => {
		const queue = [1, 2].map(message);
		const { pump, pushed } = pumpOver(queue);
		pump.start();
		queue.push(message(3));
		pump.offer(message(3));
		pump.offer(message(2));
		await settle();
		pump.acknowledged(3);
		queue.push(message(4));
		pump.offer(message(4));
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4]);
	});

	it('waits for the socket to drain', async () => {
		let writable = false;
		const { pump, pushed } = pumpOver([message(1)], { canWrite: () => writable });
		pump.start();
		await settle();
		expect(pushed).toEqual([]);
		writable = true;
		pump.writable();
		await settle();
		expect(pushed).toEqual([1]);
	});
});

const fromJosie = (id: number): MessageRecord => ({ ...message(id), from: 'josie', to: 'adrian' });

describe("DeliveryPump and its own connection's messages (§7.1)", () => {
	it('passes over a message its connection sent, live or from the queue, yet moves lastSent past it', async () => {
		const queue = [message(1)];
		const { pump, pushed } = pumpOver(queue);
		pump.start();
		await settle();
		const finished = (id: number) => {
			pump.sendStarted();
			queue.push(fromJosie(id));
			pump.sendFinished(id);
		};
		finished(2);
		pump.offer(fromJosie(2), true);
		await settle();
		expect(pushed).toEqual([1]);
		expect(pump.lastSent).toBe(2);
		// Sent here but announced to this pump by no live offer: a queue read skips it too.
		finished(3);
		queue.push(message(4));
		pump.wake();
		await settle();
		expect(pushed).toEqual([1, 4]);
		expect(pump.lastSent).toBe(4);
	});

	it("holds a message of its user while a SEND is under way, then pushes it unless it was that SEND's", async () => {
		const queue: MessageRecord[] = [];
		const { pump, pushed } = pumpOver(queue);
		pump.start();
		await settle();
		pump.sendStarted();
		// Committed and read before the SEND's answer told this connection its id.
		queue.push(fromJosie(1), fromJosie(2));
		pump.wake();
		await settle();
		expect(pushed).toEqual([]);
		pump.sendFinished(1);
		await settle();
		// 1 was this connection's own; 2 came from another device of josie's.
		expect(pushed).toEqual([2]);
		expect(pump.lastSent).toBe(2);
	});

	it('goes on after a SEND that failed', async () => {
		const queue: MessageRecord[] = [];
		const { pump, pushed } = pumpOver(queue);
		pump.start();
		await settle();
		pump.sendStarted();
		queue.push(fromJosie(1));
		pump.offer(fromJosie(1));
		await settle();
		expect(pushed).toEqual([]);
		pump.sendFinished(undefined);
		await settle();
		expect(pushed).toEqual([1]);
	});
});
