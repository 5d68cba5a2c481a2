import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatStore } from '../../source/domain/store.js';
import { StoreHealth } from '../../source/server/store-health.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';

// StoreHealth with a store whose write probe the test controls; probes are run by hand (the
// interval is an hour).

let health: StoreHealth | undefined;
let work: TempDir | undefined;
afterEach(async () => {
	health?.stop();
	health = undefined;
	await work?.remove();
	work = undefined;
});

function healthOf(probeWritable: () => Promise<void>, timeoutMs: number): StoreHealth {
	const store = { lastMessageId: async () => 7, probeWritable } as unknown as ChatStore;
	health = new StoreHealth(store, { everyMs: 3_600_000, timeoutMs });
	return health;
}

/** Holds the event loop for `ms`, as a burst of synchronous work would. */
function busyFor(ms: number): void {
	const until = performance.now() + ms;
	while (performance.now() < until) {
		// spin
	}
}

describe('StoreHealth', () => {
	it('is healthy while probes answer, unhealthy with the reason when one fails, healthy again after', async () => {
		let failure: Error | undefined;
		const probed = healthOf(async () => {
			if (failure) throw failure;
		}, 1000);
		await probed.probe();
		expect([probed.healthy, probed.reason]).toEqual([true, '']);
		failure = new Error('ENOSPC: no space left on device');
		await probed.probe();
		expect(probed.healthy).toBe(false);
		expect(probed.reason).toContain('ENOSPC');
		failure = undefined;
		await probed.probe();
		expect([probed.healthy, probed.reason]).toEqual([true, '']);
	});

	it('calls a probe that never answers on an idle loop unhealthy after the timeout', async () => {
		const probed = healthOf(() => new Promise<void>(() => undefined), 100);
		const started = performance.now();
		await probed.probe();
		const took = performance.now() - started;
		expect(probed.healthy).toBe(false);
		expect(probed.reason).toMatch(/^no answer within \d+ ms$/);
		expect(took).toBeGreaterThanOrEqual(95);
		expect(took).toBeLessThan(400);
	});

	it('stays healthy when the answer was late only because the loop was busy', async () => {
		work = await makeTempDir('korichat-health-');
		const file = join(work.dir, 'probe');
		// A real file write: its completion waits in the poll phase behind the busy loop, after
		// the timers, so a deadline counting wall time fires first.
		const probed = healthOf(() => writeFile(file, 'x'), 100);
		const probing = probed.probe();
		busyFor(400);
		await probing;
		expect([probed.healthy, probed.reason]).toEqual([true, '']);
	});

	it('gives up on a probe that never answers after five timeouts, however busy the loop', async () => {
		const probed = healthOf(() => new Promise<void>(() => undefined), 50);
		const busy = setInterval(() => busyFor(20), 1);
		try {
			const started = performance.now();
			await probed.probe();
			const took = performance.now() - started;
			expect(probed.healthy).toBe(false);
			expect(took).toBeGreaterThanOrEqual(245);
			expect(took).toBeLessThan(1000);
		} finally {
			clearInterval(busy);
		}
	});
});
