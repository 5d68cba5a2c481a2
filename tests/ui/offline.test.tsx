import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../source/client/index.js';
import { keys, mountMain, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

describe('messages that wait while offline', () => {
	it('shows a message typed while the server is down as pending, and sends it once when back', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[1] @josie');

		await fixture.stopServer();
		// The problem is written in the conversation, and the status bar counts down.
		await app.waitFor('What you send waits (◷)');
		await app.waitFor(/offline, retry in \d+ s · F5 now/);
		await app.press('typed while down', keys.enter);
		const pending = await app.waitFor('│ typed while down');
		expect(pending).toMatch(/◷\s+adrian │ typed while down/);
		expect(pending).not.toContain('› typed while down');

		await fixture.startServer();
		await app.press(keys.f5);
		await app.waitFor('Connected again');
		await app.waitFor((frame) => /\d\d:\d\d\s+adrian │ typed while down/.test(frame));
		expect(app.frame()).not.toMatch(/◷\s+adrian/);
		expect(app.frame()).toContain('Message @josie');

		const received: ChatMessage[] = [];
		const reader = fixture.client('josie-again');
		await reader.connect();
		await reader.login('josie', 'correct horse');
		const history = await reader.history('adrian');
		received.push(...history);
		expect(received.map((message) => message.body)).toEqual(['typed while down']);
		await josie.close();
	});

	it('/reconnect tries at once', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/reconnect', keys.enter);
		await app.waitFor('Already connected');
	});
});
