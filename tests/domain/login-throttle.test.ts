import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../source/domain/login-throttle.js';

describe('LoginThrottle', () => {
	it('allows five failures a minute, then says how long to wait', () => {
		let now = 0;
		const throttle = new LoginThrottle(5, 60_000, () => now);
		for (let i = 0; i < 5; i++) {
			expect(throttle.retryAfter('josie')).toBe(0);
			throttle.recordFailure('josie');
			now += 1000;
		}
		expect(throttle.retryAfter('josie')).toBe(55);
		expect(throttle.retryAfter('adrian')).toBe(0);
		now = 60_001;
		expect(throttle.retryAfter('josie')).toBe(0);
	});

	it('forgets failures after a success', () => {
		const throttle = new LoginThrottle(2, 60_000, () => 0);
		throttle.recordFailure('josie');
		throttle.recordFailure('josie');
		expect(throttle.retryAfter('josie')).toBeGreaterThan(0);
		throttle.recordSuccess('josie');
		expect(throttle.retryAfter('josie')).toBe(0);
	});
});
