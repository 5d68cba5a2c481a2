import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/index.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { keys, mountMain, password, uiFixture, type UiFixture } from './support/ui-fixture.js';

let fixture: UiFixture;
beforeEach(async () => {
	fixture = await uiFixture();
});
afterEach(async () => {
	await fixture.close();
});

/** Another device of `name` (already registered), its session stored in folder `config`. */
async function device(name: string, config: string) {
	const setup = fixture.client(config);
	await setup.connect();
	await setup.login(name, password);
	await setup.close();
	return fixture.client(config);
}

const count = (frame: string, text: string) => frame.split(text).length - 1;

describe('two devices of the same user', () => {
	it('a message sent on one appears once on the other, and once on the one that sent it', async () => {
		const phone = await fixture.loggedIn('adrian', 'phone');
		const laptop = await device('adrian', 'laptop');
		await fixture.peer('josie');
		const onPhone = await mountMain(fixture, phone, 'adrian');
		const onLaptop = await mountMain(fixture, laptop, 'adrian');
		for (const app of [onPhone, onLaptop]) {
			await app.press('/dm josie', keys.enter);
			await app.waitFor('[1] @josie');
		}
		await onPhone.press('sent from my phone', keys.enter);
		await onLaptop.waitFor('adrian │ sent from my phone');
		await onPhone.waitFor(
			(frame) => frame.includes('adrian │ sent from my phone') && !frame.includes('◷'),
		);
		// Time for a late duplicate (a re-bind, a second push) to show, if there were one.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(count(onLaptop.frame(), 'sent from my phone')).toBe(1);
		expect(count(onPhone.frame(), 'sent from my phone')).toBe(1);
		// Your own message is no unread message, on either device.
		expect(onLaptop.frame()).not.toMatch(/josie\s+1/);
	});

	it('unread counts come from the server at login, and reading on one device clears the other', async () => {
		const phone = await fixture.loggedIn('adrian', 'phone');
		const josie = await fixture.peer('josie');
		const onPhone = await mountMain(fixture, phone, 'adrian');
		await josie.send('adrian', 'are you there?');
		await josie.send('adrian', 'hello?');
		await onPhone.waitFor(/josie\s+2/);
		// The phone got (and acknowledged) both: the laptop's count can only come from UNREAD.
		const laptop = await device('adrian', 'laptop');
		const onLaptop = await mountMain(fixture, laptop, 'adrian');
		await onLaptop.waitFor(/josie\s+2/);
		await onPhone.press('/dm josie', keys.enter);
		await onPhone.waitFor('│ hello?');
		await onLaptop.waitFor((frame) => !/josie\s+2/.test(frame));
		expect(onLaptop.frame()).not.toMatch(/josie\s+\d/);
		expect((await laptop.unread()).find((entry) => entry.to === 'josie')).toMatchObject({
			unread: 0,
		});
		// A message arriving while the conversation is open on the phone is read there at once.
		await josie.send('adrian', 'third');
		await onPhone.waitFor('│ third');
		const started = Date.now();
		let unread = await laptop.unread();
		while (unread.find((entry) => entry.to === 'josie')?.unread !== 0) {
			if (Date.now() - started > 5000) throw new Error(`still unread: ${JSON.stringify(unread)}`);
			await new Promise((resolve) => setTimeout(resolve, 20));
			unread = await laptop.unread();
		}
		await onLaptop.waitFor((frame) => !/josie\s+\d/.test(frame));
	});

	it('opens on the "new messages" line at the server’s read position', async () => {
		const adrian = await fixture.loggedIn('adrian');
		const josie = await fixture.peer('josie');
		const sent: number[] = [];
		for (const text of ['read one', 'read two', 'unread three', 'unread four'])
			sent.push(await josie.send('adrian', text));
		await adrian.connect();
		await adrian.markRead('josie', sent[1]!);
		const app = await mountMain(fixture, adrian, 'adrian');
		await app.waitFor(/josie\s+2/);
		await app.press('/dm josie', keys.enter);
		const frame = await app.waitFor('new messages');
		expect(frame.indexOf('read two')).toBeLessThan(frame.indexOf('new messages'));
		expect(frame.indexOf('new messages')).toBeLessThan(frame.indexOf('unread three'));
	});

	it('after a reconnect, counts come from the server again: what was read meanwhile is read', async () => {
		const phone = await fixture.loggedIn('adrian', 'phone');
		const josie = await fixture.peer('josie');
		const relay = await TcpRelay.start(fixture.server.port);
		const laptop = new ChatClient({
			server: `127.0.0.1:${relay.port}`,
			backoff: { initialDelayMs: 20, maxDelayMs: 200 },
		});
		try {
			await laptop.connect();
			await laptop.login('adrian', password);
			const onLaptop = await mountMain(fixture, laptop, 'adrian');
			const onPhone = await mountMain(fixture, phone, 'adrian');
			await josie.send('adrian', 'one');
			await josie.send('adrian', 'two');
			await onLaptop.waitFor(/josie\s+2/);
			// The laptop is away while the phone reads: it misses the read push.
			await relay.cut();
			await onLaptop.waitFor('offline');
			await onPhone.press('/dm josie', keys.enter);
			await onPhone.waitFor('│ two');
			const started = Date.now();
			while ((await phone.unread()).find((entry) => entry.to === 'josie')?.unread !== 0) {
				if (Date.now() - started > 5000) throw new Error('the phone did not mark it read');
				await new Promise((resolve) => setTimeout(resolve, 20));
			}
			expect(onLaptop.frame()).toMatch(/josie\s+2/);
			await relay.restore();
			await onLaptop.waitFor((frame) => frame.includes('● online') && !/josie\s+\d/.test(frame));
			onLaptop.unmount();
		} finally {
			await laptop.close();
			await relay.close();
		}
	});
});
