import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

const ctrlF = '\u0006';

describe('search', () => {
	it('/search lists matches newest first, and Enter jumps to one far back, loading history to it', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		await josie.send('adrian', 'lunch at noon by the river?');
		// More than a page of history after it: opening the conversation alone does not load it.
		for (let index = 0; index < 130; index += 1) await josie.send('adrian', `filler ${index}`);
		await josie.send('chat', 'Lunch for the whole group');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/search lunch', keys.enter);
		const results = await app.waitFor('2 found, newest first');
		expect(results).toContain('Search in every conversation');
		expect(results.indexOf('#chat')).toBeLessThan(results.indexOf('@josie'));
		expect(results).toMatch(/› #chat\s+josie .*Lunch for the whole group/);
		await app.press(keys.down, keys.enter);
		const frame = await app.waitFor('▶ lunch at noon by the river?');
		expect(frame).toContain('@josie');
		expect(frame).not.toContain('Search in');
		// Shown with what followed it: the history in between is loaded too.
		expect(frame).toContain('josie │ filler 0');
		expect(frame).toMatch(/↓ 1\d\d newer/);
	});

	it('Ctrl+F searches the open conversation; a new query runs on Enter, Esc closes', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const john = await fixture.peer('john');
		await josie.send('adrian', 'dinner later?');
		await john.send('adrian', 'dinner with me instead');
		await josie.send('adrian', 'or breakfast');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('josie │ or breakfast');
		await app.press(ctrlF);
		await app.waitFor('Search in @josie');
		await app.press('dinner', keys.enter);
		let frame = await app.waitFor('1 found');
		expect(frame).toContain('dinner later?');
		expect(frame).not.toContain('dinner with me');
		await app.press(keys.ctrlU, 'nothing*', keys.enter);
		frame = await app.waitFor('Nothing found.');
		await app.press(keys.escape);
		frame = await app.waitFor((screen) => !screen.includes('Search in'));
		expect(frame).toContain('josie │ or breakfast');
	});

	it('says why a search cannot be run', async () => {
		const app = await mountMain(fixture, await fixture.loggedIn('adrian'), 'adrian');
		await app.press('/search', keys.enter);
		await app.waitFor('usage: /search [@user|#group] <words>');
		await app.press('/search #nowhere lunch', keys.enter);
		await app.waitFor('Search in @nowhere');
		const frame = await app.waitFor((screen) => !screen.includes('Searching…'));
		expect(frame).toMatch(/│ ✗ no user or group named "nowhere"/);
	});
});
