import { parseKey, splitInput, type KeyPress } from './parse-key.js';

/** Text pasted between bracketed-paste marks: line breaks are part of it, never Enter. */
function pasted(sequence: string): KeyPress {
	const text = sequence
		.replace(/\r\n?/g, '\n')
		.replace(/\t/g, '    ')
		// eslint-disable-next-line no-control-regex -- control characters are what this looks for
		.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '');
	return { name: 'text', ctrl: false, meta: false, shift: false, text, sequence, pasted: true };
}

/**
 * Turns Ink's input events into keys: splits typed bursts into keys, keeps text pasted between
 * bracketed-paste marks as text, and drops what no binding could mean (unknown sequences, focus
 * reports). No I/O: the KeypressProvider feeds it.
 */
export class KeyReader {
	#pasting = false;
	#endedWithCR = false;

	read(input: string): KeyPress[] {
		if (this.#pasting && !input.startsWith('\u001b')) {
			// A CRLF cut between two reads is still one line break.
			const text = this.#endedWithCR && input.startsWith('\n') ? input.slice(1) : input;
			this.#endedWithCR = input.endsWith('\r');
			return text === '' ? [] : [pasted(text)];
		}
		const keys: KeyPress[] = [];
		for (const piece of splitInput(input)) {
			const key = parseKey(piece);
			if (key.name === 'paste-start' || key.name === 'paste-end') {
				this.#pasting = key.name === 'paste-start';
				this.#endedWithCR = false;
			} else if (!this.#pasting && key.name !== 'unknown' && !key.name.startsWith('focus-')) {
				// (An escape sequence inside pasted text is dropped: pasting never presses keys.)
				keys.push(key);
			}
		}
		return keys;
	}
}
