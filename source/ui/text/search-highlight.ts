/** A piece of a search result's text: plain, or a word the search matched. */
export type HighlightPart = { readonly text: string; readonly match: boolean };

type Term = { readonly word: string; readonly prefix: boolean };

const wordPattern = /[\p{L}\p{N}]+/gu;

/** The words of a query as the server reads them (§7.6): `mess*` matches words starting so. */
export function queryTerms(query: string): Term[] {
	const terms: Term[] = [];
	for (const piece of query.split(/\s+/u)) {
		const words = [...piece.matchAll(wordPattern)].map((match) => match[0].toLowerCase());
		words.forEach((word, index) =>
			terms.push({ word, prefix: piece.endsWith('*') && index === words.length - 1 }),
		);
	}
	return terms;
}

/** Splits `text` into parts, marking each whole word that one of the query's words matches. */
export function highlightMatches(text: string, query: string): HighlightPart[] {
	const terms = queryTerms(query);
	const parts: HighlightPart[] = [];
	let last = 0;
	for (const match of text.matchAll(wordPattern)) {
		const word = match[0].toLowerCase();
		const hit = terms.some((term) =>
			term.prefix ? word.startsWith(term.word) : word === term.word,
		);
		if (!hit) continue;
		if (match.index > last) parts.push({ text: text.slice(last, match.index), match: false });
		parts.push({ text: match[0], match: true });
		last = match.index + match[0].length;
	}
	if (last < text.length || parts.length === 0)
		parts.push({ text: text.slice(last), match: false });
	return parts;
}
