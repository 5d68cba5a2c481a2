import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../source/client/index.js';
import {
	keys,
	loggedInApp,
	mountMain,
	password,
	uiFixture,
	type UiFixture,
} from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

function inbox(client: {
	on(event: 'message', listener: (message: ChatMessage) => void): unknown;
}) {
	const messages: ChatMessage[] = [];
	client.on('message', (message) => messages.push(message));
	return messages;
}

async function until(check: () => boolean, what: string) {
	const started = Date.now();
	while (!check()) {
		if (Date.now() - started > 5000) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

describe('conversations', () => {
	it('sends right after login, with no key first: /dm opens, Enter sends', async () => {
		const josie = await fixture.peer('josie', 'Josie Smith');
		const received = inbox(josie);
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/dm josie', keys.enter);
		expect(await app.waitFor('@josie · Josie Smith')).toContain('● online');
		await app.press('hello josie', keys.enter);
		await app.waitFor(/adrian │ hello josie/);
		await until(() => received.length === 1, 'josie to receive');
		expect(received[0]).toMatchObject({ from: 'adrian', to: 'josie', body: 'hello josie' });
	});

	it('opens a direct conversation from the Users pane and shows replies live', async () => {
		const josie = await fixture.peer('josie');
		const app = await loggedInApp(fixture, 'adrian');
		await app.waitFor('josie');
		await app.press(keys.tab, keys.down, keys.enter);
		await app.waitFor('[1] @josie');
		await josie.send('adrian', 'hi from josie');
		await app.waitFor(/josie │ hi from josie/);
		expect(app.frame()).not.toMatch(/josie\s+@?1 /);
	});

	it('counts unread messages and rings the bell for a direct message or a mention elsewhere', async () => {
		const josie = await fixture.peer('josie');
		await josie.createGroup('chat');
		const app = await loggedInApp(fixture, 'adrian');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		await app.waitFor('# chat');
		await josie.send('chat', 'just chatting');
		await app.waitFor(/chat\s+user\s+1/);
		expect(app.rings()).toBe(0);
		await josie.send('chat', 'hey @adrian look');
		await app.waitFor(/chat\s+user\s+@2/);
		expect(app.rings()).toBe(1);
		await josie.send('adrian', 'psst');
		await app.waitFor(/josie\s+1/);
		expect(app.rings()).toBe(2);
		await app.press('/bell off', keys.enter);
		await app.waitFor('Bell off');
		await josie.send('adrian', 'again');
		await app.waitFor(/josie\s+2/);
		expect(app.rings()).toBe(2);
	});

	it('does not ring for the conversation you are reading', async () => {
		const josie = await fixture.peer('josie');
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[1] @josie');
		await josie.send('adrian', 'you are here');
		await app.waitFor('you are here');
		expect(app.rings()).toBe(0);
	});

	it('sends a message of several lines with Alt+Enter', async () => {
		const josie = await fixture.peer('josie');
		const received = inbox(josie);
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/dm josie', keys.enter, 'line one', keys.altEnter, 'line two');
		const editing = await app.waitFor('line two');
		expect(editing).toMatch(/› line one\s*│\n│.*line two/);
		await app.press(keys.enter);
		await until(() => received.length === 1, 'the message');
		expect(received[0]!.body).toBe('line one\nline two');
	});

	it('takes a bracketed paste of several lines as text, not as Enter', async () => {
		const josie = await fixture.peer('josie');
		const received = inbox(josie);
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('/dm josie', keys.enter);
		await app.waitFor('[1] @josie');
		await app.press('\u001b[200~first pasted line\r\nsecond pasted line\u001b[201~');
		expect(await app.waitFor('second pasted line')).toContain('first pasted line');
		expect(received).toHaveLength(0);
		await app.press(keys.enter);
		await until(() => received.length === 1, 'the pasted message');
		expect(received[0]!.body).toBe('first pasted line\nsecond pasted line');
	});

	it('loads history on opening and older pages on scrolling back (HISTORY Before)', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await Promise.all(
			Array.from({ length: 160 }, (_, index) => josie.send('adrian', `old message ${index}`)),
		);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/dm josie', keys.enter);
		// All 160 arrived unseen: the view opens on the "new messages" line, above the first.
		const opened = await app.waitFor('new messages');
		expect(opened).toContain('old message 0 ');
		expect(opened).not.toContain('old message 159');
		await app.press('\u001b[1;5F');
		await app.waitFor('old message 159');
		for (
			let page = 0;
			page < 40 && !app.frame().includes('Beginning of the conversation');
			page += 1
		) {
			await app.press(keys.pageUp);
		}
		const top = await app.waitFor('Beginning of the conversation');
		expect(top).toContain('old message 0');
		expect(top).toMatch(/↓ \d+ newer/);
		await app.press('\u001b[1;5F');
		await app.waitFor('old message 159');
	});

	it('shows your own messages sent from another device, between the ones pushed here', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const elsewhere = fixture.client('adrian-laptop');
		await elsewhere.connect();
		await elsewhere.login('adrian', password);
		const app = await mountMain(fixture, adrian, 'adrian');
		await josie.send('adrian', 'one');
		await app.waitFor(/josie\s+1/);
		await elsewhere.send('josie', 'two, from my laptop');
		await josie.send('adrian', 'three');
		await app.waitFor(/josie\s+2/);
		await app.press('/dm josie', keys.enter);
		const frame = await app.waitFor('two, from my laptop');
		expect(frame.indexOf('│ one')).toBeLessThan(frame.indexOf('│ two, from my laptop'));
		expect(frame.indexOf('│ two, from my laptop')).toBeLessThan(frame.indexOf('│ three'));
	});

	it('keeps what was typed when no conversation is open', async () => {
		const app = await loggedInApp(fixture, 'adrian');
		await app.press('hello?', keys.enter);
		const frame = await app.waitFor('Open a conversation first');
		expect(frame).toContain('› hello?');
	});

	it('gives the text back when sending fails, and says why', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		await josie.createGroup('chat');
		await josie.addUsers('chat', [{ user: 'adrian' }]);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.press('/group chat', keys.enter);
		await app.waitFor('[1] #chat');
		await josie.removeUsers('chat', ['adrian']);
		await app.waitFor('josie removed you from chat');
		// The conversation says it ended, and keeps what is typed instead of sending it.
		await app.waitFor('josie removed you from #chat: this conversation is closed');
		await app.press('are you there?', keys.enter);
		const frame = await app.waitFor('josie removed you from #chat: nothing can be sent');
		expect(frame).toContain('› are you there?');
	});
});
