import type { SearchTerm } from './types.js';

/** §7.6: words are runs of Unicode letters and digits; everything else separates them. */
const wordPattern = /[\p{L}\p{N}]+/gu;
const asciiWordPattern = /[A-Za-z0-9]+/g;
// eslint-disable-next-line no-control-regex
const asciiText = /^[\x00-\x7f]*$/;
/** Longer words are cut to this many code points, in the index and in queries alike. */
export const maxWordLength = 64;

function normalizeWord(word: string): string {
	const lower = word.toLowerCase();
	// A string has no more code points than UTF-16 units: only a long one needs counting.
	if (lower.length <= maxWordLength) return lower;
	const points = [...lower];
	return points.length > maxWordLength ? points.slice(0, maxWordLength).join('') : lower;
}

/**
 * The distinct words of a text, lower case, in order of first appearance: what both stores index.
 * Both stores index exactly these, so they find the same messages for the same query.
 */
export function searchWords(text: string): string[] {
	const words = new Set<string>();
	// NFC first: "café" typed as e + combining accent is the same word as with é. ASCII text is
	// its own NFC, and its words are runs of [A-Za-z0-9] (the cheaper pattern, same words).
	const ascii = asciiText.test(text);
	const pattern = ascii ? asciiWordPattern : wordPattern;
	pattern.lastIndex = 0;
	const normalized = ascii ? text : text.normalize('NFC');
	for (let match = pattern.exec(normalized); match; match = pattern.exec(normalized)) {
		words.add(normalizeWord(match[0]));
	}
	return [...words];
}

/**
 * The terms of a `Query`: every word must appear; a piece ending in `*` makes its last word a
 * prefix ("mess*" matches "message"). Empty when the query holds no word.
 */
export function searchTerms(query: string): SearchTerm[] {
	const terms = new Map<string, SearchTerm>();
	for (const piece of query.normalize('NFC').split(/\s+/u)) {
		const words = [...piece.matchAll(wordPattern)].map((match) => normalizeWord(match[0]));
		const prefix = piece.endsWith('*');
		words.forEach((word, index) => {
			const term = { word, prefix: prefix && index === words.length - 1 };
			const key = `${term.prefix ? '*' : '='}${word}`;
			terms.set(key, term);
		});
	}
	return [...terms.values()];
}
