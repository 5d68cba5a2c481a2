import { describe, expect, it } from 'vitest';
import { ChatNetworkError, ChatRequestError } from '../../../source/client/index.js';
import { fitHints, keyHints } from '../../../source/ui/layout/key-hints.js';
import { describeError } from '../../../source/ui/text/error-words.js';
import { textWidth } from '../../../source/ui/text/text-width.js';

describe('error texts', () => {
	it('speak the user’s language: no status code, no verb name', () => {
		const leave = new ChatRequestError(
			409,
			'you own g2: delete it (RM_GROUP) instead of leaving',
			'LEAVE g2',
		);
		expect(describeError(leave)).toBe('you own g2: delete it instead of leaving');
		expect(describeError(new ChatRequestError(403, '', 'RM_USER g'))).toBe(
			'you are not allowed to do that',
		);
		expect(describeError(new ChatRequestError(429, 'status 429', 'SEND x', 2))).toBe(
			'the server asks you to slow down (try again in 2 s)',
		);
		expect(describeError(new ChatRequestError(400, 'use ADD_USER first', 'SEND x'))).toBe(
			'use /invite first',
		);
		expect(describeError(new ChatNetworkError('closed', 'the connection was lost'))).toBe(
			'Connection problem: the connection was lost',
		);
	});

	it('keeps the server’s words printable', () => {
		expect(describeError(new ChatRequestError(400, 'bad \u001b[2J name', 'REG x'))).not.toContain(
			'\u001b',
		);
	});
});

describe('key hints', () => {
	it('shorten to what fits and always keep "F1 help"', () => {
		for (const width of [8, 20, 40, 60, 200]) {
			for (const hints of Object.values(keyHints)) {
				const text = fitHints(hints, width);
				expect(text.endsWith('F1 help')).toBe(true);
				if (width >= 8) expect(textWidth(text)).toBeLessThanOrEqual(Math.max(width, 7));
			}
		}
		expect(fitHints(keyHints.groups, 200)).toContain('Alt+D delete');
		expect(fitHints(keyHints.groups, 31)).toBe('Alt+N new · Alt+I add · F1 help');
	});
});
