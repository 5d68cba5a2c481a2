import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, loggedInApp, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('keyboard navigation', () => {
	it('finds a conversation with the fuzzy quick switcher (Ctrl+K)', async () => {
		await fixture.peer('josie', 'Josie Smith');
		await fixture.peer('john');
		const app = await loggedInApp(fixture, 'adrian');
		await app.waitFor('josie');
		await app.press(keys.ctrlK);
		await app.waitFor('Go to a conversation');
		await app.press('jsi');
		const filtered = await app.waitFor(
			(frame) => frame.includes('› @josie') && !frame.includes('@john'),
		);
		expect(filtered).toContain('Josie Smith');
		await app.press(keys.enter);
		await app.waitFor('[1] @josie');
		expect(app.frame()).not.toContain('Go to a conversation');
		await app.press(keys.ctrlK, 'zzz');
		await app.waitFor('Nothing matches.');
		await app.press(keys.escape);
		await app.waitFor((frame) => !frame.includes('Go to a conversation'));
	});

	it('takes a whole burst of keys, even one that opens a dialog and types into it', async () => {
		await fixture.peer('josie');
		const app = await loggedInApp(fixture, 'adrian');
		await app.waitFor('josie');
		await app.press(`${keys.ctrlK}jsi\r`);
		await app.waitFor('[1] @josie');
		await app.press(`${keys.tab}${keys.tab}${keys.alt('n')}tea\r`);
		await app.waitFor('#tea · 1 member');
	});

	it('moves between conversations with Ctrl+N, Ctrl+P, Alt+1…9 and Alt+A', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[2] @josie');
		await app.press('/dm john', keys.enter);
		await app.waitFor('[3] @john');
		await app.press(keys.ctrlN);
		await app.waitFor('[1] #chat');
		await app.press(keys.ctrlP);
		await app.waitFor('[3] @john');
		await app.press(keys.alt('2'));
		await app.waitFor('[2] @josie');
		await app.press(keys.alt('a'));
		await app.waitFor('No unread messages');
		await josie.send('chat', 'news in chat');
		await app.waitFor(/chat\s+user\s+1/);
		await app.press(keys.alt('a'));
		await app.waitFor('[1] #chat');
		expect(app.frame()).toContain('news in chat');
	});

	it('moves focus with Tab and Shift+Tab, and ↑/↓ in a pane', async () => {
		await fixture.peer('josie');
		await fixture.peer('john');
		const app = await loggedInApp(fixture, 'adrian');
		await app.waitFor('josie');
		await app.press(keys.tab);
		await app.waitFor('↑/↓ move · Enter open');
		await app.press(keys.down, keys.down, keys.up, keys.enter);
		await app.waitFor('[1] @john');
		await app.press(keys.shiftTab);
		await app.waitFor('Alt+N new · Alt+I add');
		await app.press(keys.shiftTab);
		await app.waitFor('↑/↓ move · Enter open');
	});

	it('shows the help on F1 and on /help; Esc closes it', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		await app.press(keys.f1);
		const help = await app.waitFor('Keys and commands');
		expect(help).toContain('Quick switcher (fuzzy)');
		expect(help).toContain('Ctrl+K');
		for (let page = 0; page < 6 && !app.frame().includes('/invite <user>'); page += 1)
			await app.press(keys.pageDown);
		await app.waitFor('/invite <user>[:admin|:user] …');
		await app.press(keys.escape);
		await app.waitFor((frame) => !frame.includes('Keys and commands'));
		await app.press(keys.tab, keys.f1);
		await app.waitFor('Keys and commands');
		await app.press(keys.escape);
		await app.waitFor((frame) => !frame.includes('Keys and commands'));
		await app.press(keys.tab, keys.tab, '/help', keys.enter);
		await app.waitFor('Keys and commands');
	});

	it('quits on Ctrl+C, also from a dialog, and on /quit', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		await app.press(keys.ctrlK, keys.ctrlC);
		expect(app.quits()).toBe(1);
		await app.press(keys.escape, '/quit', keys.enter);
		expect(app.quits()).toBe(2);
	});

	it('logs out with /logout and is back on the login screen', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/logout', keys.enter);
		await app.waitFor('User name');
	});
});

describe('the activity list, the title and the Users pane', () => {
	it('shows unread conversations by number, the count in the title, and who you talk with first', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		for (const name of ['amy', 'bob', 'cat', 'dan', 'eve', 'fay', 'gus', 'hal', 'ida', 'jon'])
			await fixture.peer(name);
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		const titles: string[] = [];
		const app = await mountMain(fixture, adrian, 'adrian', {
			setTitle: (title) => titles.push(title),
		});
		await app.waitFor('# chat');
		expect(app.frame()).toMatch(/↓ \d+ more below/);
		await josie.send('chat', 'hello group');
		await josie.send('adrian', 'hello you');
		await app.waitFor('[Act: 1,2]');
		expect(titles.at(-1)).toBe('(2) KoriChat — adrian');
		// josie wrote to you: she is first in Users now.
		expect(app.frame()).toMatch(/Users\s+12\/12 │[^\n]*\n│2 ● josie/);
		await app.press(keys.alt('2'));
		await app.waitFor('[2] @josie');
		await app.waitFor((frame) => frame.includes('[Act: 1]'));
		expect(titles.at(-1)).toBe('(1) KoriChat — adrian');
	});
});
