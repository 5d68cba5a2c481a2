import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('events in the timeline', () => {
	it('writes joins, role changes, removals, leaves and the deletion in the conversation', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const alice = await fixture.peer('alice');
		const carol = await fixture.peer('carol');
		await fixture.peer('dave');
		await alice.createGroup('ops');
		await alice.addUsers('ops', [{ user: 'adrian' }]);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.waitFor(/# ops/);
		await app.press('/group ops', keys.enter);
		await app.waitFor('[1] #ops');
		await alice.addUsers('ops', [{ user: 'carol' }, { user: 'dave' }]);
		await app.waitFor('— │ alice added carol');
		await alice.addUsers('ops', [{ user: 'carol', role: 'admin' }]);
		await app.waitFor('— │ alice made carol an admin');
		await alice.removeUsers('ops', ['dave']);
		await app.waitFor('— │ alice removed dave');
		await carol.leaveGroup('ops');
		await app.waitFor('— │ carol left');
		await alice.deleteGroup('ops');
		const frame = await app.waitFor('— │ alice deleted #ops');
		// The view says the group ended and takes no more messages.
		expect(frame).toContain('alice deleted #ops: this conversation is closed');
	});

	it('says so in a group you were removed from', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const alice = await fixture.peer('alice');
		await alice.createGroup('ops');
		await alice.addUsers('ops', [{ user: 'adrian' }]);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/group ops', keys.enter);
		await app.waitFor('[1] #ops');
		await alice.removeUsers('ops', ['adrian']);
		const frame = await app.waitFor('— │ alice removed you');
		expect(frame).toContain('alice removed you from #ops: this conversation is closed');
	});
});

describe('the read marker', () => {
	it('opens a conversation with 300 unread messages on the "new messages" line', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await fixture.peer('john');
		await josie.send('adrian', 'read before');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('│ read before');
		await app.press('/dm john', keys.enter);
		await app.waitFor('[2] @john');
		await Promise.all(
			Array.from({ length: 300 }, (_, index) => josie.send('adrian', `unread ${index}`)),
		);
		await app.waitFor(/josie\s+300/);
		await app.press(keys.alt('1'));
		const frame = await app.waitFor('new messages');
		const marker = frame.indexOf('new messages');
		expect(frame.indexOf('│ unread 0')).toBeGreaterThan(marker);
		expect(frame).not.toContain('unread 299');
		expect(frame).toMatch(/↓ \d+ newer/);
		// It stays while the conversation is open, and goes once you leave it.
		await app.press(keys.alt('2'));
		await app.waitFor((screen) => screen.includes('[2] @john') && !screen.includes('new messages'));
		await app.press(keys.alt('1'));
		await app.waitFor('unread 299');
		expect(app.frame()).not.toContain('new messages');
	});
});
