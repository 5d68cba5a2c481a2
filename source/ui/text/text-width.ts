import stringWidth from 'string-width';

const printableAscii = /^[\u0020-\u007e]*$/;

/** Columns `text` takes on screen (plain text, no escape sequences). */
export function textWidth(text: string): number {
	return printableAscii.test(text) ? text.length : stringWidth(text);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** User-perceived characters, so a cut never splits an emoji or an accented letter. */
export function graphemes(text: string): string[] {
	if (printableAscii.test(text)) return [...text];
	return Array.from(segmenter.segment(text), (part) => part.segment);
}

/** `text` cut to at most `width` columns, ending in `…` when cut. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (textWidth(text) <= width) return text;
	let result = '';
	let used = 0;
	for (const character of graphemes(text)) {
		const size = textWidth(character);
		if (used + size > width - 1) break;
		result += character;
		used += size;
	}
	return `${result}…`;
}

/** `text` cut or padded with spaces to exactly `width` columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
	const cut = truncate(text, width);
	const padding = ' '.repeat(Math.max(0, width - textWidth(cut)));
	return align === 'left' ? cut + padding : padding + cut;
}
