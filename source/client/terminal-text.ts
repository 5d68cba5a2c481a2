/* eslint-disable no-control-regex -- finding control characters is the point */
// C0 and C1 controls, DEL, and the bidirectional overrides/isolates ("Trojan Source").
const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const unsafeButLineBreaks =
	/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/* eslint-enable no-control-regex */

function escape(character: string): string {
	if (character === '\t') return '    ';
	const code = character.codePointAt(0)!;
	return code <= 0xff
		? `\\x${code.toString(16).padStart(2, '0')}`
		: `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Text from the network made safe to print: control characters (escape sequences could move the
 * cursor, retitle the window or rewrite the screen) become visible `\xNN` escapes, tabs spaces.
 * Line breaks are escaped too unless `keepLineBreaks` (then CRLF and CR become LF).
 */
export function terminalSafe(text: string, options: { keepLineBreaks?: boolean } = {}): string {
	if (!options.keepLineBreaks) return text.replace(unsafe, escape);
	return text.replace(/\r\n?/g, '\n').replace(unsafeButLineBreaks, escape);
}
