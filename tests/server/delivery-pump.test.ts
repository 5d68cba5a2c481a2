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

function pumpOver(
	queue: MessageRecord[],
	options: { canWrite?: () => boolean; maxInFlight?: number; changes?: () => number } = {},
) {
	const pushed: number[] = [];
	const fetches: number[] = [];
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
			fetches.push(afterId);
			return queue.filter((m) => m.id > afterId).slice(0, limit);
		},
		durable: async () => undefined,
		maxInFlight: options.maxInFlight ?? 3,
		pageSize: 2,
		changes: options.changes ?? (() => 0),
	});
	return { pump, pushed, fetches };
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

describe('DeliveryPump: live messages it could not send yet', () => {
	/** A started pump that has read the (empty) queue once and sends nothing while `full`. */
	async function caughtUp(maxInFlight = 10_000) {
		const state = { full: true, changes: 0 };
		const queue: MessageRecord[] = [];
		const parts = pumpOver(queue, {
			canWrite: () => !state.full,
			maxInFlight,
			changes: () => state.changes,
		});
		parts.pump.start();
		state.full = false;
		parts.pump.writable();
		await settle();
		expect(parts.fetches).toEqual([0]);
		state.full = true;
		return { ...parts, queue, state };
	}

	it('keeps them while the socket is full and sends them in order from memory once it drains', async () => {
		const { pump, pushed, fetches, queue, state } = await caughtUp();
		for (const id of [1, 2, 3, 4, 5]) {
			queue.push(message(id));
			pump.offer(message(id));
		}
		await settle();
		expect(pushed).toEqual([]);
		state.full = false;
		pump.writable();
		// A message offered while the held ones go out queues behind them.
		queue.push(message(6));
		pump.offer(message(6));
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4, 5, 6]);
		expect(fetches).toEqual([0]);
	});

	it('sends them as far as the socket takes, the rest when it drains again', async () => {
		const { pump, pushed, fetches, queue, state } = await caughtUp();
		for (const id of [1, 2, 3, 4]) {
			queue.push(message(id));
			pump.offer(message(id));
		}
		let room = 2;
		state.full = false;
		const sink = pump.sink as { canDeliver: () => boolean };
		const canDeliver = sink.canDeliver;
		sink.canDeliver = () => room-- > 0;
		pump.writable();
		await settle();
		expect(pushed).toEqual([1, 2]);
		sink.canDeliver = canDeliver;
		pump.writable();
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4]);
		expect(fetches).toEqual([0]);
	});

	it('holds them past the in-flight cap and sends them as ACKs come', async () => {
		const { pump, pushed, fetches, queue, state } = await caughtUp(2);
		state.full = false;
		for (const id of [1, 2, 3, 4, 5]) {
			queue.push(message(id));
			pump.offer(message(id));
		}
		await settle();
		expect(pushed).toEqual([1, 2]);
		pump.acknowledged(2);
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4]);
		pump.acknowledged(4);
		await settle();
		expect(pushed).toEqual([1, 2, 3, 4, 5]);
		expect(fetches).toEqual([0]);
	});

	it('reads the store instead once more wait than it keeps, and loses none', async () => {
		const { pump, pushed, fetches, queue, state } = await caughtUp();
		const count = 5000;
		for (let id = 1; id <= count; id++) {
			queue.push(message(id));
			pump.offer(message(id));
		}
		state.full = false;
		pump.writable();
		for (let turn = 0; turn < 5000 && pushed.length < count; turn++) await settle();
		expect(pushed).toEqual(queue.map((m) => m.id));
		expect(fetches.length).toBeGreaterThan(1);
	});

	it('reads the store after a wake (messages no offer told of), sending each message once', async () => {
		const { pump, pushed, fetches, queue, state } = await caughtUp();
		queue.push(message(1));
		pump.offer(message(1));
		queue.push(message(2), message(3));
		pump.wake();
		state.full = false;
		pump.writable();
		await settle();
		await settle();
		expect(pushed).toEqual([1, 2, 3]);
		expect(fetches.length).toBeGreaterThan(1);
	});

	it('reads them from the store again, as they are now, after a message was changed', async () => {
		const { pump, fetches, queue, state } = await caughtUp();
		const bodies: string[] = [];
		(pump.sink as { deliver: (m: MessageRecord) => void }).deliver = (m) => bodies.push(m.body);
		for (const id of [1, 2]) {
			queue.push(message(id));
			pump.offer(message(id));
		}
		// Message 1 is edited while it waits; the edit's notice counts a change.
		queue[0] = { ...message(1), body: 'm1 (edited)' };
		state.changes++;
		state.full = false;
		pump.writable();
		await settle();
		await settle();
		expect(bodies).toEqual(['m1 (edited)', 'm2']);
		expect(fetches.length).toBeGreaterThan(1);
	});

	it('drops what it held when stopped', async () => {
		const { pump, pushed, queue, state } = await caughtUp();
		queue.push(message(1));
		pump.offer(message(1));
		pump.stop();
		state.full = false;
		pump.writable();
		await settle();
		expect(pushed).toEqual([]);
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
