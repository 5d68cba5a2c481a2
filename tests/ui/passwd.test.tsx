import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keys, mountMain, password, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('/passwd', () => {
	it('changes the password with hidden input, saying what is wrong in place', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const laptop = fixture.client('laptop');
		await laptop.connect();
		await laptop.login('adrian', password);
		const onLaptop = await mountMain(fixture, laptop, 'adrian');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/passwd', keys.enter);
		await app.waitFor('Change your password');
		await app.press(password, keys.tab, 'short', keys.tab, 'short', keys.enter);
		let frame = await app.waitFor('too short: at least 8 characters');
		expect(frame).not.toContain(password);
		expect(frame).not.toContain('short,');
		expect(frame).toContain('•••••');

		// Back on the new field: type it again, and a different repeat.
		await app.press(keys.ctrlU, 'new secret 1', keys.tab, keys.ctrlU, 'new secret 2', keys.enter);
		frame = await app.waitFor('The new passwords do not match');
		expect(frame).not.toContain('new secret');

		await app.press(keys.ctrlU, 'new secret 1', keys.shiftTab, keys.shiftTab, keys.ctrlU);
		await app.press('wrong one', keys.enter, keys.enter, keys.enter);
		await app.waitFor('The current password is wrong');

		await app.press(
			keys.shiftTab,
			keys.shiftTab,
			keys.ctrlU,
			password,
			keys.enter,
			keys.enter,
			keys.enter,
		);
		await app.waitFor('Password changed: your other devices were logged out');
		expect(app.frame()).not.toContain('Change your password');
		// The laptop's session ended: its next request says so, and it asks for a login.
		await onLaptop.press('/search anything', keys.enter);
		await onLaptop.waitFor('Log in');
		const check = fixture.client('check');
		await check.connect();
		await expect(check.login('adrian', password)).rejects.toThrow();
		await expect(check.login('adrian', 'new secret 1')).resolves.toMatchObject({ user: 'adrian' });
	});
});
