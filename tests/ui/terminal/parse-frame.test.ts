import { describe, expect, test } from 'vitest';
import { wideTail } from '../../../source/ui/terminal/cell-grid.js';
import { parseFrame } from '../../../source/ui/terminal/parse-frame.js';

const text = (chars: string[][]) => chars.map((row) => row.join('')).join('\n');

describe('parseFrame', () => {
	test('places wide graphemes on two cells and keeps a combining mark with its letter', () => {
		const grid = parseFrame('中x\ne\u0301😀', 5, 2);
		expect(grid.chars[0]).toEqual(['中', wideTail, 'x', ' ', ' ']);
		expect(grid.chars[1]).toEqual(['e\u0301', '😀', wideTail, ' ', ' ']);
	});

	test('cuts what does not fit: long lines, extra lines, a wide grapheme at the edge', () => {
		const grid = parseFrame('abcdef\nab中\nthird', 4, 2);
		expect(text(grid.chars)).toBe('abcd\nab中');
		expect(parseFrame('abc中', 4, 1).chars[0]).toEqual(['a', 'b', 'c', ' ']);
	});

	test('skips escapes that are not SGR (cursor moves, a hyperlink, an unterminated sequence)', () => {
		const grid = parseFrame(
			'\u001b[2Ja\u001b]8;;https://x.test\u0007b\u001b]8;;\u001b\\c\u001b[',
			5,
			1,
		);
		expect(grid.chars[0]).toEqual(['a', 'b', 'c', ' ', ' ']);
	});

	test('styles carry over from one line to the next until reset', () => {
		const grid = parseFrame('\u001b[1;31ma\nb\u001b[0mc', 3, 2);
		expect(grid.styles[0]![0]).toBe('1;31');
		expect(grid.styles[1]!.slice(0, 2)).toEqual(['1;31', '']);
	});
});
