import { graphemes, textWidth } from './text-width.js';

/** Splits a word wider than `width` into pieces that fit. */
function breakWord(word: string, width: number): string[] {
	const pieces: string[] = [];
	let piece = '';
	let used = 0;
	for (const character of graphemes(word)) {
		const size = textWidth(character);
		if (used + size > width && piece !== '') {
			pieces.push(piece);
			piece = '';
			used = 0;
		}
		piece += character;
		used += size;
	}
	if (piece !== '') pieces.push(piece);
	return pieces;
}

/**
 * Word-wraps one paragraph (no line breaks) to `width` columns. Spaces at a break are dropped,
 * words wider than a line are cut, and an empty paragraph is one empty line.
 */
export function wrapParagraph(text: string, width: number): string[] {
	const limit = Math.max(1, width);
	if (textWidth(text) <= limit) return [text];
	const lines: string[] = [];
	let line = '';
	let used = 0;
	for (const token of text.split(/( +)/)) {
		if (token === '') continue;
		const size = textWidth(token);
		if (used + size <= limit) {
			line += token;
			used += size;
			continue;
		}
		if (token.startsWith(' ')) {
			// The break falls in spaces: they vanish, as in any wrapping editor.
			if (line !== '') lines.push(line);
			line = '';
			used = 0;
			continue;
		}
		if (line.trim() !== '') lines.push(line.trimEnd());
		line = '';
		used = 0;
		const pieces = size > limit ? breakWord(token, limit) : [token];
		for (const piece of pieces.slice(0, -1)) lines.push(piece);
		line = pieces.at(-1) ?? '';
		used = textWidth(line);
	}
	if (line !== '' || lines.length === 0) lines.push(line);
	return lines;
}

/** Wraps text with line breaks: each paragraph wrapped on its own. */
export function wrapText(text: string, width: number): string[] {
	return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, width));
}
