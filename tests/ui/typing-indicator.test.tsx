import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TypingEvent } from '../../source/client/index.js';
import { keys, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('typing indicator', () => {
	it('shows who is typing in the open conversation until their message arrives', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const john = await fixture.peer('john');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }, { user: 'john' }]);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('] @josie');
		await josie.typing('adrian');
		await app.waitFor('@josie · ● online · josie is typing…');
		await josie.send('adrian', 'here it is');
		const frame = await app.waitFor('josie │ here it is');
		expect(frame).not.toContain('is typing');

		// In a group: two names, and only there (not in the direct conversation).
		await app.press('/group chat', keys.enter);
		await app.waitFor('#chat · 3 members');
		await josie.typing('chat');
		await john.typing('chat');
		await app.waitFor('john and josie are typing…');
		await app.press('/dm josie', keys.enter);
		await app.waitFor((screen) => screen.includes('] @josie') && !screen.includes('typing…'));
	});

	it('goes after 6 s without a message', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[1] @josie');
		await josie.typing('adrian');
		await app.waitFor('josie is typing…');
		const shown = Date.now();
		await app.waitFor((frame) => !frame.includes('is typing'), 9000);
		expect(Date.now() - shown).toBeGreaterThan(5000);
	}, 20_000);

	it('tells the other side while you type a message, at most every 3 s, never for a /command', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const seen: TypingEvent[] = [];
		josie.on('typing', (event) => seen.push(event));
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[1] @josie');
		await app.press('/bell', keys.ctrlU);
		await pause(200);
		expect(seen).toEqual([]);
		await app.press('h', 'e', 'l', 'l', 'o');
		await app.waitFor('› hello');
		await pause(200);
		expect(seen).toEqual([{ user: 'adrian', to: 'josie', group: null }]);
		await pause(3000);
		await app.press('!');
		await pause(200);
		expect(seen).toHaveLength(2);
	}, 20_000);
});
