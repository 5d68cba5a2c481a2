/* eslint-disable no-control-regex -- these tests look for control characters */
import stringWidth from 'string-width';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, loggedInApp, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

// Set the title, write the clipboard (OSC 52), clear the screen, move the cursor, turn text red.
const attack =
	'title \u001b]0;pwned\u0007 clip \u001b]52;c;c2VjcmV0\u0007 clear \u001b[2J\u001b[H colour \u001b[31mred up \u009b1A\rdone';

describe('text from the network', () => {
	it('is shown as text: no escape sequence or control character reaches the terminal', async () => {
		// The server refuses control characters in display names; message bodies are free text.
		const mallory = await fixture.peer('mallory');
		const app = await loggedInApp(fixture, 'adrian');
		await mallory.send('adrian', attack);
		await app.waitFor(/mallory\s+1/);
		await app.press('/dm mallory', keys.enter);
		const frame = await app.waitFor('done');
		for (const shown of [
			'\\x1b]0;pwned\\x07',
			'\\x1b]52;c;c2VjcmV0\\x07',
			'\\x1b[2J\\x1b[H',
			'\\x1b[31mred',
			'\\x9b1A',
		]) {
			expect(frame).toContain(shown);
		}
		// A lone CR is a line break in a message, drawn as a new row, never sent as a CR.
		expect(frame).toMatch(/\\x9b1A\s*│\n│.*│ done/);
		for (const written of app.frames) {
			expect(written).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
		}
	});
});

/** Columns a wcwidth terminal draws a frame line in: each code point at its own width. */
function drawnWidth(line: string): number {
	let width = 0;
	for (const codePoint of line.replace(/\u001b\[[0-9;]*m/g, '')) {
		width += codePoint === '\u00ad' ? 1 : stringWidth(codePoint);
	}
	return width;
}

describe('text a terminal measures differently (issue 15)', () => {
	it("keeps every row within the screen and the panes' borders in place", async () => {
		const tricky = 'co\u00adop \u115f\u1160\u3164 क्षत्रिय กำลัง a\u200cb\u200dc';
		const mallory = await fixture.peer('mallory', `Mal ${tricky}`);
		const app = await loggedInApp(fixture, 'adrian');
		await mallory.send('adrian', `${tricky} `.repeat(6));
		await app.waitFor(/mallory\s+1/);
		await app.press('/dm mallory', keys.enter);
		const frame = await app.waitFor('\\u0e33');
		const lines = frame.split('\n');
		const width = Math.max(...lines.map((line) => stringWidth(line)));
		for (const line of lines) expect(drawnWidth(line)).toBe(stringWidth(line));
		expect(Math.max(...lines.map(drawnWidth))).toBeLessThanOrEqual(width);
		expect(frame).toContain('\\u00ad');
		expect(frame).toContain('\\u3164');
	});
});
