import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { isMessage, pushesWithin, send } from '../helpers/conversation-steps.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

const newPassword = 'battery staple';

describe('§7.7 PASSWD', () => {
	it('changes the password, logs every other session out and keeps the calling one', async () => {
		const phone = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		const response = await phone.request('PASSWD', undefined, {
			Password: password,
			'New-Password': newPassword,
		});
		expect(response.status).toBe(200);

		// The laptop gets no more pushes, and its old cookie is refused with a clearing Set-Cookie.
		await send(josie, 'adrian', 'after the change');
		await phone.waitForPush(isMessage('after the change'));
		expect(await pushesWithin(laptop, isMessage())).toEqual([]);
		const refused = await laptop.request('LIST_USER');
		expect(refused.status).toBe(401);
		expect(refused.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');

		expect((await phone.request('LIST_USER')).status).toBe(200);
		const fresh = await chat.connect();
		expect((await fresh.login('adrian', password)).status).toBe(401);
		expect((await fresh.login('adrian', newPassword)).status).toBe(200);
	});

	it('answers 401 for a wrong current password, counted like a failed login, and changes nothing', async () => {
		const adrian = await chat.user('adrian');
		const other = await chat.user('adrian', { register: false });
		for (let i = 0; i < 5; i++) {
			const wrong = await adrian.request('PASSWD', undefined, {
				Password: 'not my password',
				'New-Password': newPassword,
			});
			expect(wrong.status).toBe(401);
		}
		// Five failures: the next login of adrian waits, like after five failed USEs.
		const throttled = await (await chat.connect()).login('adrian', password);
		expect(throttled.status).toBe(429);
		expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
		const meanwhile = await adrian.request('PASSWD', undefined, {
			Password: password,
			'New-Password': newPassword,
		});
		expect(meanwhile.status).toBe(429);
		expect((await other.request('LIST_USER')).status).toBe(200);
	});

	it('refuses an invalid or missing new password, a missing current one, and no login', async () => {
		const adrian = await chat.user('adrian');
		const refused: Record<string, string>[] = [
			{ Password: password, 'New-Password': 'short' },
			{ Password: password, 'New-Password': 'x'.repeat(257) },
			{ Password: password },
			{ 'New-Password': newPassword },
		];
		for (const headers of refused) {
			const response = await adrian.request('PASSWD', undefined, headers);
			expect(response.status, JSON.stringify(headers)).toBe(400);
		}
		const anonymous = await chat.connect();
		const headers = { Password: password, 'New-Password': newPassword };
		expect((await anonymous.request('PASSWD', undefined, headers)).status).toBe(401);
		expect((await (await chat.connect()).login('adrian', password)).status).toBe(200);
	});
});
