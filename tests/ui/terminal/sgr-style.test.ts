import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { applySgr, defaultStyle, sgrTransition } from '../../../source/ui/terminal/sgr-style.js';
import { styleParams } from './frame-arbitraries.js';

const paramsOf = (sequence: string) => sequence.slice(2, -1);

describe('sgrTransition', () => {
	test('turns any style into any other, and is never longer than a reset and the full style', () => {
		fc.assert(
			fc.property(styleParams, styleParams, (a, b) => {
				const from = applySgr(defaultStyle, a);
				const to = applySgr(defaultStyle, b);
				const sequence = sgrTransition(from, to);
				if (from === to) expect(sequence).toBe('');
				else expect(applySgr(from, paramsOf(sequence))).toBe(to);
				expect(sequence.length).toBeLessThanOrEqual(`\u001b[0;${to}m`.length);
			}),
			{ numRuns: 2000 },
		);
	});

	test('changes only what differs', () => {
		const red = applySgr(defaultStyle, '31');
		const boldRed = applySgr(red, '1');
		expect(sgrTransition(red, boldRed)).toBe('\u001b[1m');
		expect(sgrTransition(boldRed, red)).toBe('\u001b[22m');
		expect(sgrTransition(boldRed, defaultStyle)).toBe('\u001b[m');
	});

	test('reads 256-colour and true-colour parameters, and a truncated one changes nothing', () => {
		expect(applySgr(defaultStyle, '38;5;208;48;2;1;2;3')).toBe('38;5;208;48;2;1;2;3');
		expect(applySgr(defaultStyle, '1;38;5')).toBe('1');
	});
});
