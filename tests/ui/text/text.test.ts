/* eslint-disable no-control-regex -- these tests look for control characters */
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyScore } from '../../../source/ui/text/fuzzy-match.js';
import { mentions, splitMentions } from '../../../source/ui/text/mentions.js';
import { safeBody, safeLine } from '../../../source/ui/text/safe-text.js';
import { fit, textWidth, truncate } from '../../../source/ui/text/text-width.js';
import { wrapParagraph, wrapText } from '../../../source/ui/text/wrap-text.js';

describe('safe text', () => {
	it('turns every escape sequence from the network into visible text', () => {
		const attacks = [
			'\u001b]0;owned\u0007',
			'\u001b]52;c;cGFzc3dvcmQ=\u0007',
			'\u001b[2J\u001b[H',
			'\u001b[31mred',
			'\u009b31m',
			'\u001bP+q\u001b\\',
			'a\rb',
			'\u202eevil',
			'line\u2028break',
		];
		for (const attack of attacks) {
			const shown = safeLine(attack);
			expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/u);
		}
		expect(safeLine('\u001b]0;owned\u0007')).toBe('\\x1b]0;owned\\x07');
	});

	it('keeps line breaks in bodies only', () => {
		expect(safeBody('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
		expect(safeLine('one\ntwo')).toBe('one\\x0atwo');
	});
});

describe('wrapping and width', () => {
	it('wraps on spaces and cuts what does not fit', () => {
		expect(wrapParagraph('the quick brown fox', 10)).toEqual(['the quick', 'brown fox']);
		expect(wrapParagraph('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		expect(wrapParagraph('', 4)).toEqual(['']);
		expect(wrapText('a\n\nb', 4)).toEqual(['a', '', 'b']);
	});

	it('counts wide characters as two columns', () => {
		expect(textWidth('日本')).toBe(4);
		expect(wrapParagraph('日本語のテキスト', 6)).toEqual(['日本語', 'のテキ', 'スト']);
		expect(truncate('日本語', 5)).toBe('日本…');
		expect(fit('ab', 4, 'right')).toBe('  ab');
	});
});

describe('mentions', () => {
	it('finds @names, not addresses, and marks yours', () => {
		expect(splitMentions('hi @Adrian. and @josie', 'adrian')).toEqual([
			{ text: 'hi ' },
			{ text: '@Adrian', mention: 'me' },
			{ text: '. and ' },
			{ text: '@josie', mention: 'other' },
		]);
		expect(mentions('mail adrian@example.com', 'adrian')).toBe(false);
		expect(mentions('@adrian!', 'adrian')).toBe(true);
		expect(mentions('@adrianne', 'adrian')).toBe(false);
	});
});

describe('fuzzy matching', () => {
	it('matches subsequences, best first', () => {
		expect(fuzzyScore('xyz', 'josie')).toBeUndefined();
		expect(fuzzyFilter('jo', ['major', 'josie', 'john'], (name) => name)).toEqual([
			'john',
			'josie',
			'major',
		]);
		expect(fuzzyFilter('jsi', ['john', 'josie'], (name) => name)).toEqual(['josie']);
		expect(fuzzyFilter('tc', ['tea-club', 'tactic'], (name) => name)[0]).toBe('tea-club');
	});
});

/** Columns a wcwidth terminal draws: each code point at its own width (a soft hyphen as one). */
function drawnWidth(text: string): number {
	let width = 0;
	for (const codePoint of text) width += codePoint === '\u00ad' ? 1 : stringWidth(codePoint);
	return width;
}

/** Cells Ink lays text out in: each grapheme cluster at max(1, string-width). */
function laidOutWidth(text: string): number {
	let width = 0;
	for (const { segment } of new Intl.Segmenter().segment(text)) {
		width += Math.max(1, stringWidth(segment));
	}
	return width;
}

describe('terminal widths (issue 15)', () => {
	const cases: Array<[string, string, string]> = [
		['soft hyphen', 'co\u00adop', 'co\\u00adop'],
		['Hangul choseong filler', 'a\u115fb', 'a\\u115fb'],
		['Hangul jungseong filler', 'a\u1160b', 'a\\u1160b'],
		['Hangul filler', 'a\u3164b', 'a\\u3164b'],
		['zero-width non-joiner', 'a\u200cb', 'a\\u200cb'],
		['zero-width joiner', 'a\u200db', 'a\\u200db'],
		['Devanagari conjunct', 'क्ष', 'क\\u094d\\u0937'],
		['Thai SARA AM', 'กำ', 'ก\\u0e33'],
		['a lone Thai combining mark', '\u0e48x', '\\u0e48x'],
	];
	for (const [what, text, shown] of cases) {
		it(`shows a ${what} so that the layout measures what the terminal draws`, () => {
			expect(safeLine(text)).toBe(shown);
			expect(safeBody(text)).toBe(shown);
			const safe = safeLine(text);
			expect(drawnWidth(safe)).toBe(laidOutWidth(safe));
			expect(textWidth(safe)).toBe(drawnWidth(safe));
			// Before, the layout, Ink or a wcwidth terminal disagreed (a joiner's width depends on
			// the terminal: some draw it, most do not).
			const agreed =
				textWidth(text) === drawnWidth(text) && drawnWidth(text) === laidOutWidth(text);
			if (!what.includes('joiner')) expect(agreed).toBe(false);
		});
	}

	it('keeps text the terminal draws as measured: accents, Thai above marks, CJK, emoji', () => {
		for (const text of ['é', 'ที่นี่', 'हि', '日本語', 'Ünïcødé']) {
			expect(safeLine(text)).toBe(text);
			expect(drawnWidth(text)).toBe(laidOutWidth(text));
		}
		// Emoji sequences are trusted at two columns, as string-width and current terminals agree.
		for (const emoji of ['👍🏽', '❤️', '🇯🇵']) expect(safeLine(emoji)).toBe(emoji);
	});

	it('keeps whole lines the same width on screen as in the layout', () => {
		const line = `x ${cases.map(([, text]) => text).join(' ')} y`;
		for (const width of [5, 8, 13]) {
			for (const piece of wrapText(safeBody(line), width)) {
				expect(drawnWidth(piece)).toBe(textWidth(piece));
				expect(drawnWidth(piece)).toBeLessThanOrEqual(width);
			}
		}
		expect(drawnWidth(fit(safeLine(line), 20))).toBe(20);
	});
});
