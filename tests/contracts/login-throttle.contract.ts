import { afterEach, describe, expect, it } from 'vitest';
import type { LoginThrottle, ThrottleLimits } from '../../source/domain/login-throttle.js';

/** Makes a throttle over these limits; `close` ends whatever it holds open. */
export type ThrottleMaker = (
	limits: ThrottleLimits,
) => Promise<{ readonly throttle: LoginThrottle; close(): Promise<void> }>;

/**
 * The behaviour every LoginThrottle must have, whichever backend counts. With `spansNodes`, every
 * throttle `make` returns within one test counts for the same cluster.
 */
export function describeLoginThrottle(
	name: string,
	make: ThrottleMaker,
	options: { readonly spansNodes?: boolean } = {},
): void {
	describe(`LoginThrottle contract: ${name}`, () => {
		const opened: (() => Promise<void>)[] = [];
		const open = async (limits: ThrottleLimits) => {
			const made = await make(limits);
			opened.push(() => made.close());
			return made.throttle;
		};
		afterEach(async () => {
			await Promise.all(opened.splice(0).map((close) => close()));
		});

		it('allows five failures a minute, then says how long to wait', async () => {
			let now = 1_000_000;
			const throttle = await open({ limit: 5, windowMs: 60_000, clock: () => now });
			for (let i = 0; i < 5; i++) {
				expect(await throttle.retryAfter('josie')).toBe(0);
				await throttle.recordFailure('josie');
				now += 1000;
			}
			expect(await throttle.retryAfter('josie')).toBe(55);
			expect(await throttle.retryAfter('adrian')).toBe(0);
			now = 1_060_001;
			expect(await throttle.retryAfter('josie')).toBe(0);
		});

		it('forgets failures after a success', async () => {
			const throttle = await open({ limit: 2, windowMs: 60_000, clock: () => 5_000 });
			await throttle.recordFailure('josie');
			await throttle.recordFailure('josie');
			expect(await throttle.retryAfter('josie')).toBeGreaterThan(0);
			await throttle.recordSuccess('josie');
			expect(await throttle.retryAfter('josie')).toBe(0);
		});

		it('is off with a limit of 0', async () => {
			const throttle = await open({ limit: 0, windowMs: 60_000, clock: () => 5_000 });
			for (let i = 0; i < 10; i++) await throttle.recordFailure('josie');
			expect(await throttle.retryAfter('josie')).toBe(0);
		});

		if (!options.spansNodes) return;

		it('counts the failures of every node together', async () => {
			let now = 1_000_000;
			const limits = { limit: 4, windowMs: 60_000, clock: () => now };
			const [a, b] = [await open(limits), await open(limits)];
			await a.recordFailure('josie');
			await b.recordFailure('josie');
			await a.recordFailure('josie');
			now += 1;
			await b.recordFailure('josie');
			expect(await a.retryAfter('josie')).toBe(60);
			expect(await b.retryAfter('josie')).toBe(60);
			await a.recordSuccess('josie');
			expect(await b.retryAfter('josie')).toBe(0);
		});
	});
}
