import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, type ChatFixture } from '../helpers/chat-fixture.js';
import { isMessage, makeGroup, pushesWithin, send } from '../helpers/conversation-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe("§7.1 own messages on the sender's other connections", () => {
	it("pushes a direct message to the sender's other connection once, never to the sending one", async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const id = await send(phone, 'josie', 'from my phone');

		const mine = await laptop.waitForPush(isMessage('from my phone'));
		expect(mine.target).toBe('josie');
		expect(mine.headers.get('from')).toBe('adrian');
		expect(Number(mine.headers.get('message-id'))).toBe(id);
		expect(mine.headers.has('group')).toBe(false);
		expect((await josie.waitForPush(isMessage('from my phone'))).headers.get('from')).toBe(
			'adrian',
		);

		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
		expect(await pushesWithin(phone, isMessage(), 0)).toEqual([]);
	});

	it("pushes a group message to the sender's other connection with its Group header", async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		await chat.register('josie');
		await makeGroup(phone, 'crew', 'josie');
		await send(phone, 'crew', 'hello crew');
		const mine = await laptop.waitForPush(isMessage('hello crew'));
		expect(mine.target).toBe('crew');
		expect(mine.headers.get('group')).toBe('crew');
		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
		expect(await pushesWithin(phone, isMessage(), 0)).toEqual([]);
	});

	it('delivers a direct message to oneself to each other connection exactly once', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const tablet = await chat.user('adrian', { register: false });
		const id = await send(phone, 'adrian', 'note to self');
		for (const device of [laptop, tablet]) {
			const push = await device.waitForPush(isMessage('note to self'));
			expect(push.target).toBe('adrian');
			expect(Number(push.headers.get('message-id'))).toBe(id);
			expect(await pushesWithin(device, isMessage())).toEqual([]);
		}
		expect(await pushesWithin(phone, isMessage(), 0)).toEqual([]);
	});

	it('gives a device that was offline its own messages, in order, at its next login', async () => {
		const phone = await chat.user('adrian');
		await chat.register('josie');
		const first = await send(phone, 'josie', 'one');
		const second = await send(phone, 'josie', 'two');
		const laptop = await chat.user('adrian', { register: false });
		const pushes = [await laptop.waitForPush(isMessage()), await laptop.waitForPush(isMessage())];
		expect(pushes.map((push) => push.text)).toEqual(['one', 'two']);
		expect(pushes.map((push) => Number(push.headers.get('message-id')))).toEqual([first, second]);
	});

	it("lets the sending connection's next ACK cover its own message, skipping nothing for the others", async () => {
		const phone = await chat.user('adrian');
		const josie = await chat.user('josie');
		await send(phone, 'josie', 'mine');
		const theirs = await send(josie, 'adrian', 'theirs');
		const pushed = await phone.waitForPush(isMessage('theirs'));
		expect(Number(pushed.headers.get('message-id'))).toBe(theirs);
		// The phone never got "mine" pushed, yet its cumulative ACK covers it.
		expect((await phone.request('ACK', String(theirs))).status).toBe(200);
		const laptop = await chat.user('adrian', { register: false });
		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
	});

	it('clamps an ACK from the sending connection to what it sent or was shown', async () => {
		const phone = await chat.user('adrian');
		const josie = await chat.user('josie');
		const mine = await send(phone, 'josie', 'mine');
		expect((await phone.request('ACK', String(mine + 1000))).status).toBe(200);
		await send(josie, 'adrian', 'later');
		await phone.waitForPush(isMessage('later'));
		// The ACK did not reach past what the phone knew of: "later" waits for the next device.
		const laptop = await chat.user('adrian', { register: false });
		const pushed = await laptop.waitForPush(isMessage());
		expect(pushed.text).toBe('later');
		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
	});
});
