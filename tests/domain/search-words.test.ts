import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxWordLength, searchTerms, searchWords } from '../../source/domain/search-words.js';

const wordCharacter = /^[\p{L}\p{N}]$/u;
const isWord = (word: string) => [...word].every((point) => wordCharacter.test(point));

// Letters and digits of several scripts, separators of several kinds: texts people write.
const letters = fc.constantFrom(...'abcXYZ09éÉßøΩж日本語テキ١٢'.split(''));
const separators = fc.constantFrom(...' \t\n.,;:!?-_@#*"\'()/\\\u00A0\u3000—…'.split(''));
const text = fc
	.array(fc.oneof(letters, separators), { maxLength: 60 })
	.map((chars) => chars.join(''));

describe('searchWords', () => {
	it('splits at everything but Unicode letters and digits, lower-cases, and keeps first appearances', () => {
		expect(
			searchWords('Hello, WORLD! hello again—café au lait; 日本語 テキスト nº42 e-mail'),
		).toEqual([
			'hello',
			'world',
			'again',
			'café',
			'au',
			'lait',
			'日本語',
			'テキスト',
			'nº42',
			'e',
			'mail',
		]);
		expect(searchWords('')).toEqual([]);
		expect(searchWords(' .,;!? \n\t👩‍💻 ')).toEqual([]);
	});

	it('reads a decomposed accent as the composed letter, in texts and queries alike', () => {
		const decomposed = 'cafe\u0301 au lait';
		expect(searchWords(decomposed)).toEqual(['café', 'au', 'lait']);
		expect(searchWords(decomposed)).toEqual(searchWords('café au lait'));
		expect(searchTerms('CAFE\u0301')).toEqual([{ word: 'café', prefix: false }]);
	});

	it('cuts a word longer than the limit to its first code points', () => {
		const long = '𝒳'.repeat(maxWordLength + 10);
		expect(searchWords(`a ${long} b`)).toEqual(['a', '𝒳'.repeat(maxWordLength), 'b']);
		expect(searchWords('y'.repeat(maxWordLength))).toEqual(['y'.repeat(maxWordLength)]);
	});

	it('gives distinct, lower-case, non-empty words of letters and digits only, none too long', () => {
		fc.assert(
			fc.property(fc.oneof(text, fc.string({ unit: 'grapheme', maxLength: 80 })), (input) => {
				const words = searchWords(input);
				expect(new Set(words).size).toBe(words.length);
				for (const word of words) {
					expect(word.length).toBeGreaterThan(0);
					expect(word).toBe(word.toLowerCase());
					expect([...word].length).toBeLessThanOrEqual(maxWordLength);
				}
			}),
		);
	});

	it('finds every word of a text whose words are joined by separators', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(letters, { minLength: 1, maxLength: 8 }), {
					minLength: 1,
					maxLength: 10,
				}),
				separators,
				(pieces, separator) => {
					const words = pieces.map((piece) => piece.join(''));
					expect(searchWords(words.join(separator))).toEqual([
						...new Set(words.map((word) => word.toLowerCase())),
					]);
				},
			),
		);
	});

	it('is not changed by the case of the text or by more separators', () => {
		fc.assert(
			fc.property(text, (input) => {
				expect(searchWords(input.toLowerCase())).toEqual(searchWords(input));
				// ß upper-cases to SS: only texts whose case round-trips come back the same.
				if (input.toUpperCase().toLowerCase() === input.toLowerCase()) {
					expect(searchWords(input.toUpperCase())).toEqual(searchWords(input));
				}
				expect(searchWords(input.replace(/[^\p{L}\p{N}]/gu, ' . '))).toEqual(searchWords(input));
			}),
		);
	});

	it('gives words a space-joined index sees as the same words again', () => {
		fc.assert(
			fc.property(text, (input) => {
				const words = searchWords(input);
				expect(searchWords(words.join(' '))).toEqual(words);
				expect(words.every(isWord)).toBe(true);
			}),
		);
	});
});

describe('searchTerms', () => {
	it('reads every word of the query as a term and a trailing * as a prefix', () => {
		expect(searchTerms('Hello wor*')).toEqual([
			{ word: 'hello', prefix: false },
			{ word: 'wor', prefix: true },
		]);
		// Only the last word of a piece ending in * is a prefix.
		expect(searchTerms('ann@exam*')).toEqual([
			{ word: 'ann', prefix: false },
			{ word: 'exam', prefix: true },
		]);
		expect(searchTerms('a* b')).toEqual([
			{ word: 'a', prefix: true },
			{ word: 'b', prefix: false },
		]);
		// A * inside a piece separates words; it makes nothing a prefix.
		expect(searchTerms('wo*rd')).toEqual([
			{ word: 'wo', prefix: false },
			{ word: 'rd', prefix: false },
		]);
	});

	it('drops repeated terms but keeps a word and its prefix apart', () => {
		expect(searchTerms('hello HELLO hello*  hello')).toEqual([
			{ word: 'hello', prefix: false },
			{ word: 'hello', prefix: true },
		]);
	});

	it('is empty for a query without a word', () => {
		expect(searchTerms('')).toEqual([]);
		expect(searchTerms('   ')).toEqual([]);
		expect(searchTerms('* ** ?! --')).toEqual([]);
	});

	it('gives the same words as searchWords for a query without *', () => {
		fc.assert(
			fc.property(text, (input) => {
				const query = input.replaceAll('*', ' ');
				const terms = searchTerms(query);
				expect(terms.every((term) => !term.prefix)).toBe(true);
				expect(terms.map((term) => term.word)).toEqual(searchWords(query));
			}),
		);
	});

	it('makes a word of a message match itself as a whole word and its every start as a prefix', () => {
		fc.assert(
			fc.property(text, fc.nat(), (input, pick) => {
				const words = searchWords(input);
				fc.pre(words.length > 0);
				const word = words[pick % words.length]!;
				expect(searchTerms(word)).toEqual([{ word, prefix: false }]);
				const points = [...word];
				const start = points.slice(0, 1 + (pick % points.length)).join('');
				expect(searchTerms(`${start}*`)).toEqual([{ word: start, prefix: true }]);
			}),
		);
	});
});

describe('searchWords on ASCII text (its faster path)', () => {
	// The definition, written out: NFC, runs of Unicode letters and digits, lower case, cut, distinct.
	const reference = (input: string) => [
		...new Set(
			[...input.normalize('NFC').matchAll(/[\p{L}\p{N}]+/gu)].map((match) =>
				[...match[0].toLowerCase()].slice(0, maxWordLength).join(''),
			),
		),
	];

	it('finds exactly the words the Unicode definition finds', () => {
		const ascii = fc.string({
			unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
			maxLength: 200,
		});
		fc.assert(
			fc.property(ascii, (input) => {
				expect(searchWords(input)).toEqual(reference(input));
			}),
			{ numRuns: 2000 },
		);
		fc.assert(
			fc.property(text, (input) => {
				expect(searchWords(input)).toEqual(reference(input));
			}),
			{ numRuns: 500 },
		);
	});

	it('cuts a long ASCII word like any other', () => {
		const long = 'x'.repeat(maxWordLength + 10);
		expect(searchWords(`${long} y`)).toEqual(['x'.repeat(maxWordLength), 'y']);
	});
});
