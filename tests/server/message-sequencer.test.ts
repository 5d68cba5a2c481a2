import fc from 'fast-check';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { BusEvent } from '../../source/domain/bus.js';
import { MessageSequencer } from '../../source/server/message-sequencer.js';

type MessageEvent = Extract<BusEvent, { type: 'message' }>;

const event = (id: number): MessageEvent => ({
	type: 'message',
	message: {
		id,
		from: 'a',
		to: 'b',
		group: null,
		body: `m${id}`,
		date: '2026-12-03T00:00:00.000Z',
	},
	recipients: ['b'],
});

function sequencer(committed: { last: number }, options: { gapWaitMs?: number } = {}) {
	const released: number[] = [];
	let catchUps = 0;
	const s = new MessageSequencer({
		lastMessageId: async () => committed.last,
		release: (e) => released.push(e.message.id),
		catchUp: () => catchUps++,
		gapWaitMs: options.gapWaitMs ?? 20,
		pollMs: 60_000,
	});
	return { s, released, catchUps: () => catchUps };
}

describe('MessageSequencer', () => {
	it('releases events that arrive in order at once', async () => {
		const committed = { last: 10 };
		const { s, released } = sequencer(committed);
		await s.start();
		for (const id of [11, 12, 13]) s.offer(event(id));
		expect(released).toEqual([11, 12, 13]);
		s.stop();
	});

	it('drops what it started past, and repeats', async () => {
		const { s, released } = sequencer({ last: 10 });
		await s.start();
		s.offer(event(9));
		s.offer(event(11));
		s.offer(event(11));
		expect(released).toEqual([11]);
		s.stop();
	});

	it('holds an event until the smaller ids arrive (two nodes published out of order)', async () => {
		const { s, released, catchUps } = sequencer({ last: 0 });
		await s.start();
		s.offer(event(2));
		s.offer(event(3));
		expect(released).toEqual([]);
		s.offer(event(1));
		expect(released).toEqual([1, 2, 3]);
		await sleep(40);
		expect(catchUps()).toBe(0);
		s.stop();
	});

	it('asks the store once a gap outlives its wait, and makes every pump catch up', async () => {
		const committed = { last: 0 };
		const { s, released, catchUps } = sequencer(committed);
		await s.start();
		committed.last = 3;
		s.offer(event(3)); // 1 and 2 were committed, their events lost
		await sleep(60);
		expect(catchUps()).toBe(1);
		expect(s.released).toBe(3);
		s.offer(event(2));
		s.offer(event(4));
		expect(released).toEqual([4]);
		s.stop();
	});

	it('catches up on resync when the store ran ahead of every event', async () => {
		const committed = { last: 5 };
		const { s, catchUps } = sequencer(committed);
		await s.start();
		committed.last = 8;
		await s.resync();
		expect(catchUps()).toBe(1);
		await s.resync();
		expect(catchUps()).toBe(1);
		s.stop();
	});

	it('whatever the order and losses, releases in increasing order and covers every id', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 1, max: 40 }),
				fc.func(fc.boolean()),
				fc.infiniteStream(fc.nat()),
				async (count, lost, shuffle) => {
					const committed = { last: 0 };
					const { s, released, catchUps } = sequencer(committed, { gapWaitMs: 1 });
					await s.start();
					committed.last = count;
					const ids = Array.from({ length: count }, (_, i) => i + 1).filter((id) => !lost(id));
					const order = [...ids];
					const stream = shuffle[Symbol.iterator]();
					for (let i = order.length - 1; i > 0; i--) {
						const j = stream.next().value! % (i + 1);
						[order[i], order[j]] = [order[j]!, order[i]!];
					}
					for (const id of order) s.offer(event(id));
					await s.resync();
					s.stop();
					expect(released).toEqual([...released].sort((a, b) => a - b));
					expect(new Set(released).size).toBe(released.length);
					// Every id was either released as an event or covered by a catch-up from the store.
					const covered = catchUps() > 0 ? s.released : Math.max(0, ...released);
					expect(covered).toBe(count);
					if (catchUps() === 0) expect(released).toEqual(ids);
				},
			),
			{ numRuns: 100 },
		);
	});
});
