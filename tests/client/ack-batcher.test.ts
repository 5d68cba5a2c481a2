import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AckBatcher } from '../../source/client/ack-batcher.js';

let sent: number[];
let failNext: boolean;

function batcher(options: { intervalMs?: number; maxBatch?: number } = {}) {
	return new AckBatcher({
		send: async (id) => {
			if (failNext) {
				failNext = false;
				throw new Error('offline');
			}
			sent.push(id);
		},
		intervalMs: options.intervalMs ?? 100,
		maxBatch: options.maxBatch ?? 200,
	});
}

beforeEach(() => {
	vi.useFakeTimers();
	sent = [];
	failNext = false;
});
afterEach(() => {
	vi.useRealTimers();
});

describe('AckBatcher', () => {
	it('acknowledges many messages with one cumulative ACK after the interval', async () => {
		const acks = batcher();
		for (let id = 1; id <= 50; id++) acks.taken(id);
		await vi.advanceTimersByTimeAsync(99);
		expect(sent).toEqual([]);
		await vi.advanceTimersByTimeAsync(1);
		expect(sent).toEqual([50]);
		expect(acks.acknowledged).toBe(50);
		await vi.advanceTimersByTimeAsync(1000);
		expect(sent).toEqual([50]);
	});

	it('acknowledges at once when a full batch is waiting', async () => {
		const acks = batcher({ maxBatch: 3 });
		acks.taken(1);
		acks.taken(2);
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toEqual([]);
		acks.taken(3);
		await vi.advanceTimersByTimeAsync(0);
		expect(sent).toEqual([3]);
	});

	it('never acknowledges past a refused message, until it is taken', async () => {
		const acks = batcher();
		acks.taken(1);
		acks.refused(2);
		acks.taken(3);
		await vi.advanceTimersByTimeAsync(100);
		expect(sent).toEqual([1]);
		acks.taken(2);
		await vi.advanceTimersByTimeAsync(100);
		expect(sent).toEqual([1, 3]);
	});

	it('keeps a failed ACK owed and sends it on the next flush', async () => {
		const acks = batcher();
		acks.taken(7);
		failNext = true;
		await vi.advanceTimersByTimeAsync(100);
		expect(sent).toEqual([]);
		expect(acks.owed).toBe(7);
		await acks.flush();
		expect(sent).toEqual([7]);
		expect(acks.owed).toBe(0);
	});

	it('acknowledges again a message the server redelivers (its ACK was lost)', async () => {
		const acks = batcher();
		acks.taken(4);
		await vi.advanceTimersByTimeAsync(100);
		expect(sent).toEqual([4]);
		acks.taken(4);
		await vi.advanceTimersByTimeAsync(100);
		expect(sent).toEqual([4, 4]);
	});

	it('forgets everything on reset', async () => {
		const acks = batcher();
		acks.taken(9);
		acks.reset();
		await vi.advanceTimersByTimeAsync(500);
		expect(sent).toEqual([]);
		expect(acks.owed).toBe(0);
	});
});
