import { describe, expect, it } from 'vitest';
import {
	backoffDelay,
	defaultBackoff,
	ReconnectPolicy,
} from '../../source/client/reconnect-policy.js';

const options = { initialDelayMs: 100, maxDelayMs: 1000, multiplier: 2 };

describe('backoffDelay', () => {
	it('doubles the ceiling per attempt, keeping the fixed half and randomizing the other', () => {
		expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, options, () => 0))).toEqual([
			50, 100, 200, 400,
		]);
		expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, options, () => 1))).toEqual([
			100, 200, 400, 800,
		]);
		expect(backoffDelay(2, options, () => 0.5)).toBe(300);
	});

	it('never exceeds the cap, even after very many attempts', () => {
		for (const attempt of [4, 10, 100, 10_000]) {
			expect(backoffDelay(attempt, options, () => 1)).toBe(1000);
			expect(backoffDelay(attempt, options, () => 0)).toBe(500);
		}
	});

	it('stays within [ceiling/2, ceiling] for any random value (jitter spreads clients)', () => {
		const delays = new Set<number>();
		for (let i = 0; i < 200; i++) {
			const delay = backoffDelay(3, options);
			expect(delay).toBeGreaterThanOrEqual(400);
			expect(delay).toBeLessThanOrEqual(800);
			delays.add(delay);
		}
		expect(delays.size).toBeGreaterThan(10);
	});

	it('has defaults that start under a second and cap at 30 s', () => {
		expect(backoffDelay(0, defaultBackoff, () => 1)).toBeLessThanOrEqual(1000);
		expect(backoffDelay(50, defaultBackoff, () => 1)).toBe(30_000);
	});
});

describe('ReconnectPolicy', () => {
	it('grows with each failure and starts over after reset', () => {
		const policy = new ReconnectPolicy(options, () => 1);
		expect([policy.nextDelay(), policy.nextDelay(), policy.nextDelay()]).toEqual([100, 200, 400]);
		expect(policy.attempt).toBe(3);
		policy.reset();
		expect(policy.attempt).toBe(0);
		expect(policy.nextDelay()).toBe(100);
	});
});
