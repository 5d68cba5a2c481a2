/* eslint-disable no-control-regex -- these tests look for control characters */
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
