/* eslint-disable no-control-regex -- these tests look for control characters */
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
