import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient, type ChatMessage } from '../../source/client/index.js';
import { TcpProxy } from '../client/support/tcp-proxy.js';
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

	it('sends exactly once when the connection drops after the SEND went out (Send-Id)', async () => {
		const josie = await fixture.peer('josie');
		const proxy = await TcpProxy.start(fixture.server.port);
		const adrian = new ChatClient({
			server: `127.0.0.1:${proxy.port}`,
			backoff: { initialDelayMs: 20, maxDelayMs: 200 },
		});
		try {
			await adrian.connect();
			await adrian.register('adrian', 'correct horse');
			await adrian.login('adrian', 'correct horse');
			const app = await mountMain(fixture, adrian, 'adrian');
			await app.press('/dm josie', keys.enter);
			await app.waitFor('[1] @josie');
			// The server stores the message, then the link breaks inside its 202.
			const cut = proxy.cutInside('CHAT/1.0 202');
			await app.press('answer lost on the way', keys.enter);
			await cut;
			await app.waitFor((frame) => /\d\d:\d\d\s+adrian │ answer lost on the way/.test(frame));
			// The re-bind may push the stored message back (§7.1) before the retry is answered:
			// either way the text shows once, and the retry (same Send-Id) stores nothing new.
			for (let wait = 0; wait < 250 && proxy.count('SEND') < 2; wait += 1)
				await new Promise((resolve) => setTimeout(resolve, 20));
			expect(proxy.count('SEND')).toBe(2);
			await new Promise((resolve) => setTimeout(resolve, 200));
			expect(app.frame().split('answer lost on the way')).toHaveLength(2);
			expect(app.frame()).not.toMatch(/◷\s+adrian/);
			const stored = await josie.history('adrian');
			expect(stored.map((message) => message.body)).toEqual(['answer lost on the way']);
			app.unmount();
		} finally {
			await adrian.close();
			await proxy.close();
		}
	});

	it('/reconnect tries at once', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/reconnect', keys.enter);
		await app.waitFor('Already connected');
	});
});
