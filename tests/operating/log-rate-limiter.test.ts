import { describe, expect, it } from 'vitest';
import { LogRateLimiter } from '../../source/operating/log-rate-limiter.js';
import { captureLog } from '../helpers/log-capture.js';

function limited(maxPerWindow = 3, windowMs = 10_000) {
	let now = 1_000_000;
	const captured = captureLog();
	const limiter = new LogRateLimiter(captured.log, { maxPerWindow, windowMs, clock: () => now });
	return { limiter, captured, advance: (ms: number) => (now += ms) };
}

const refused = { event: 'connection-refused', reason: 'per-address-limit', address: '10.0.0.1' };

describe('LogRateLimiter', () => {
	it('writes the first lines of a window, counts the rest, and sums them up when the window ends', () => {
		const { limiter, captured, advance } = limited(3);
		for (let index = 0; index < 50; index++) limiter.warn(refused, `refused ${index}`);
		expect(captured.messages).toEqual(['refused 0', 'refused 1', 'refused 2']);
		advance(9_999);
		limiter.warn(refused, 'still in the window');
		expect(captured.entries).toHaveLength(3);
		advance(1);
		limiter.warn(refused, 'a new window');
		expect(captured.entries.slice(3)).toEqual([
			expect.objectContaining({
				event: 'connection-refused',
				reason: 'per-address-limit',
				suppressed: 48,
				level: 40,
				msg: '48 more connection-refused (per-address-limit) lines suppressed in 10 s',
			}),
			expect.objectContaining({ msg: 'a new window', address: '10.0.0.1' }),
		]);
	});

	it('limits each event and reason on its own', () => {
		const { limiter, captured } = limited(2);
		for (let index = 0; index < 5; index++) {
			limiter.warn(refused, 'refused');
			limiter.warn({ ...refused, reason: 'other' }, 'other');
			limiter.warn({ event: 'connection-dropped', reason: 'output-stall' }, 'dropped');
		}
		expect(captured.messages.filter((m) => m === 'refused')).toHaveLength(2);
		expect(captured.messages.filter((m) => m === 'other')).toHaveLength(2);
		expect(captured.messages.filter((m) => m === 'dropped')).toHaveLength(2);
	});

	it('flush() sums up the windows that have ended, and flush(true) every one, once', () => {
		const { limiter, captured, advance } = limited(1);
		limiter.warn(refused, 'first');
		limiter.warn(refused, 'second');
		limiter.flush();
		expect(captured.messages).toEqual(['first']);
		advance(10_000);
		limiter.flush();
		limiter.flush();
		expect(captured.messages).toEqual([
			'first',
			'1 more connection-refused (per-address-limit) lines suppressed in 10 s',
		]);
		limiter.warn(refused, 'third');
		limiter.warn(refused, 'fourth');
		limiter.flush(true);
		expect(captured.events('connection-refused').map((entry) => entry.suppressed)).toEqual([
			undefined,
			1,
			undefined,
			1,
		]);
	});

	it('writes no summary for a window that suppressed nothing', () => {
		const { limiter, captured, advance } = limited(5);
		limiter.info({ event: 'start' }, 'one');
		advance(60_000);
		limiter.flush();
		limiter.info({ event: 'start' }, 'two');
		expect(captured.messages).toEqual(['one', 'two']);
	});
});
