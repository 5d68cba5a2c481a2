import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../source/client/terminal-text.js';

describe('terminalSafe', () => {
	it('leaves ordinary text, emoji and accents alone', () => {
		expect(terminalSafe('Hello 👋 José, ça va?')).toBe('Hello 👋 José, ça va?');
	});

	it('turns escape sequences into visible text: no cursor moves, titles or screen clears', () => {
		const hostile = 'a\u001b]0;pwned\u0007b\u001b[2J\u001b[Hc\u009b31m';
		const safe = terminalSafe(hostile);
		expect(safe).toBe('a\\x1b]0;pwned\\x07b\\x1b[2J\\x1b[Hc\\x9b31m');
		// eslint-disable-next-line no-control-regex -- looking for control characters
		expect(safe).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
	});

	it('escapes bidirectional overrides that could disguise text', () => {
		expect(terminalSafe('abc\u202Edef\u2066')).toBe('abc\\u202edef\\u2066');
	});

	it('escapes line breaks unless asked to keep them (then CR and CRLF become LF)', () => {
		expect(terminalSafe('one\ntwo\rthree')).toBe('one\\x0atwo\\x0dthree');
		expect(terminalSafe('one\r\ntwo\rthree\n', { keepLineBreaks: true })).toBe('one\ntwo\nthree\n');
		expect(terminalSafe('a\tb\u0008c', { keepLineBreaks: true })).toBe('a    b\\x08c');
	});
});
