import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatClient, ChatMessage } from '../../source/client/index.js';
import {
	keys,
	mountMain,
	uiFixture,
	type MountedApp,
	type UiFixture,
} from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

async function until<T>(read: () => T | Promise<T>, check: (value: T) => boolean): Promise<T> {
	const started = Date.now();
	for (;;) {
		const value = await read();
		if (check(value)) return value;
		if (Date.now() - started > 5000) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** adrian's app in #chat (owned by josie, adrian a plain member), with josie's first message. */
async function inChat() {
	const adrian = await fixture.loggedIn('adrian');
	const josie = await fixture.peer('josie');
	await josie.createGroup('chat');
	await josie.addUsers('chat', [{ user: 'adrian' }]);
	const received: ChatMessage[] = [];
	josie.on('message', (message) => received.push(message));
	const question = await josie.send('chat', 'lunch at noon tomorrow, shall we?');
	const app = await mountMain(fixture, adrian, 'adrian');
	await app.waitFor('# chat');
	await app.press('/group chat', keys.enter);
	await app.waitFor('josie │ lunch at noon');
	return { app, josie, received, question };
}

const history = (client: ChatClient) => client.history('chat');

/** Waits until the server stored adrian's `text` (its pending clock gone). */
const sent = (app: MountedApp, text: string) =>
	app.waitFor((frame) => frame.includes(`adrian │ ${text}`) && !frame.includes('◷'));

describe('selection mode and replies', () => {
	it('↑ from an empty input selects, r replies with the quote shown, and the reply carries Reply-To', async () => {
		const { app, josie, received, question } = await inChat();
		await app.press(keys.up);
		const selecting = await app.waitFor('▶ lunch at noon');
		expect(selecting).toContain('r reply');
		expect(selecting).not.toContain('e edit');
		await app.press('r');
		await app.waitFor('↳ replying to josie: lunch at noon tomorrow');
		await app.press('yes please', keys.enter);
		const [reply] = await until(
			() => received,
			(list) => list.length === 1,
		);
		expect(reply).toMatchObject({ from: 'adrian', body: 'yes please', replyTo: question });
		const frame = await app.waitFor('adrian │ yes please');
		expect(frame).not.toContain('replying to');
		// The quoted line sits right above the reply.
		const lines = frame.split('\n');
		const at = lines.findIndex((line) => line.includes('adrian │ yes please'));
		expect(lines[at - 1]).toContain('↳ josie: lunch at noon');
		expect((await history(josie)).at(-1)).toMatchObject({ replyTo: question });
	});

	it('Esc cancels a reply, and a letter other than the mode’s keys leaves the mode and is typed', async () => {
		const { app, received } = await inChat();
		await app.press(keys.up, 'r');
		await app.waitFor('replying to josie');
		await app.press(keys.escape);
		await app.waitFor((frame) => !frame.includes('replying to'));
		await app.press(keys.up);
		await app.waitFor('▶ lunch');
		await app.press('hello');
		const frame = await app.waitFor('› hello');
		expect(frame).not.toContain('▶');
		await app.press(keys.enter);
		const [message] = await until(
			() => received,
			(list) => list.length === 1,
		);
		expect(message!.replyTo ?? null).toBeNull();
	});
});

describe('editing and deleting', () => {
	it('e brings your text back, Esc cancels changing nothing, Enter saves it as (edited)', async () => {
		const { app, josie } = await inChat();
		const edits: unknown[] = [];
		josie.on('edit', (event) => edits.push(event));
		await app.press('helo wrold', keys.enter);
		await sent(app, 'helo wrold');
		await app.press(keys.up, 'e');
		let frame = await app.waitFor('editing your message');
		expect(frame).toContain('› helo wrold');
		await app.press(keys.ctrlU, 'something else');
		await app.waitFor('› something else');
		await app.press(keys.escape);
		frame = await app.waitFor((screen) => !screen.includes('editing your message'));
		expect(frame).not.toContain('something else');
		expect(frame).not.toContain('(edited)');
		expect((await history(josie)).at(-1)).toMatchObject({ body: 'helo wrold' });
		expect(edits).toEqual([]);

		await app.press(keys.up, 'e', keys.ctrlU, 'hello world', keys.enter);
		await app.waitFor('adrian │ hello world (edited)');
		await until(
			() => edits,
			(list) => list.length === 1,
		);
		expect(edits[0]).toMatchObject({ from: 'adrian', body: 'hello world' });
		expect((await history(josie)).at(-1)).toMatchObject({ body: 'hello world' });
		expect(app.frame()).not.toContain('editing your message');
	});

	it('shows edits and deletes made by others in place', async () => {
		const { app, josie, question } = await inChat();
		await josie.edit(question, 'lunch at one instead?');
		await app.waitFor('josie │ lunch at one instead? (edited)');
		await josie.deleteMessage(question);
		const frame = await app.waitFor('josie │ message deleted');
		expect(frame).not.toContain('lunch at one');
	});

	it('d asks first: Cancel keeps the message, Alt+Y deletes it; others’ messages cannot be', async () => {
		const { app, josie } = await inChat();
		const deletes: unknown[] = [];
		josie.on('delete', (event) => deletes.push(event));
		// josie's message, and adrian is no admin of #chat: not offered.
		await app.press(keys.up, 'd');
		await app.waitFor('You can delete your own messages');
		expect(app.frame()).not.toContain('Delete your message?');
		await app.press(keys.escape);
		await app.press('oops, wrong group', keys.enter);
		await sent(app, 'oops, wrong group');
		await app.press(keys.up);
		expect(await app.waitFor('d delete')).toContain('e edit');
		await app.press('d');
		await app.waitFor('Delete your message?');
		await app.press(keys.enter);
		await app.waitFor((frame) => !frame.includes('Delete your message?'));
		expect(app.frame()).toContain('oops, wrong group');
		expect(deletes).toEqual([]);
		await app.press(keys.up, 'd');
		await app.waitFor('Delete your message?');
		await app.press(keys.alt('y'));
		await app.waitFor('adrian │ message deleted');
		await until(
			() => deletes,
			(list) => list.length === 1,
		);
		expect((await history(josie)).at(-1)).toMatchObject({ deleted: true, body: '' });
	});

	it('a reply to a deleted message says so', async () => {
		const { app, josie, question } = await inChat();
		await josie.send('chat', 'see above', { replyTo: question });
		await app.waitFor('↳ josie: lunch at noon');
		await josie.deleteMessage(question);
		await app.waitFor('↳ message deleted');
	});
});
