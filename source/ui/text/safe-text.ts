import stringWidth from 'string-width';
import { terminalSafe } from '../../client/index.js';

// Beyond the client's set: separators some terminals treat as line breaks, and invisible or
// filler characters that terminals draw at no agreed width (a soft hyphen is a hyphen in some,
// nothing in others; a Hangul filler 0, 1 or 2 columns; a lone joiner 0 or 1).
const alsoUnsafe =
	/[\u00ad\u115f\u1160\u2028\u2029\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0\ufff9-\ufffb]/gu;
const printableAscii = /^[\u0020-\u007e\n]*$/;
// Built at run time: the compiler's target predates the v flag, Node 20 has it.
const rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const escapeCodePoint = (character: string) => {
	const code = character.codePointAt(0)!;
	return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/**
 * Whether a terminal draws `cluster` at the width Ink lays it out at. Ink gives each grapheme
 * cluster max(1, string-width) cells; most terminals draw each code point at its own width
 * (wcwidth), so a cluster that string-width counts as one unit — a Devanagari conjunct, Thai
 * SARA AM, a lone combining mark — may take more or fewer columns than laid out. Emoji are
 * trusted at two columns, as string-width and current terminals agree.
 */
function drawnAsMeasured(cluster: string): boolean {
	if (rgiEmoji.test(cluster)) return true;
	const laidOut = Math.max(1, stringWidth(cluster));
	let drawn = 0;
	for (const codePoint of cluster) drawn += stringWidth(codePoint);
	return drawn === laidOut;
}

/** Shows clusters a terminal would draw at another width as their base and visible escapes. */
function measurable(text: string): string {
	if (printableAscii.test(text)) return text;
	let result = '';
	for (const { segment } of segmenter.segment(text)) {
		if (segment === '\n' || drawnAsMeasured(segment)) {
			result += segment;
			continue;
		}
		const [base = '', ...rest] = segment;
		const keepBase = stringWidth(base) > 0 && drawnAsMeasured(base);
		result += (keepBase ? base : escapeCodePoint(base)) + rest.map(escapeCodePoint).join('');
	}
	return result;
}

/**
 * A name or one-line text from the network, made printable: control characters and escape
 * sequences become visible `\xNN` escapes, so nothing received can move the cursor, change
 * colours, set the title or write the clipboard; characters a terminal cannot be trusted to draw
 * at a known width become `\uNNNN`, so the layout measures what the terminal draws.
 */
export function safeLine(text: string): string {
	return measurable(terminalSafe(text).replace(alsoUnsafe, escapeCodePoint));
}

/** A message body made printable, keeping its line breaks (CRLF and CR become LF). */
export function safeBody(text: string): string {
	return measurable(
		terminalSafe(text, { keepLineBreaks: true }).replace(alsoUnsafe, escapeCodePoint),
	);
}
