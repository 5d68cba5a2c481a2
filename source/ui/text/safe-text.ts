import { terminalSafe } from '../../client/index.js';

// Beyond the client's set: separators some terminals treat as line breaks, and invisible format marks
// that would make the text's width on screen differ from what the layout measured.
const alsoUnsafe = /[\u2028\u2029\u200b\u2060\ufeff\ufff9-\ufffb]/gu;

const escapeCodePoint = (character: string) =>
	`\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/**
 * A name or one-line text from the network, made printable: control characters and escape
 * sequences become visible `\xNN` escapes, so nothing received can move the cursor, change
 * colours, set the title or write the clipboard.
 */
export function safeLine(text: string): string {
	return terminalSafe(text).replace(alsoUnsafe, escapeCodePoint);
}

/** A message body made printable, keeping its line breaks (CRLF and CR become LF). */
export function safeBody(text: string): string {
	return terminalSafe(text, { keepLineBreaks: true }).replace(alsoUnsafe, escapeCodePoint);
}
