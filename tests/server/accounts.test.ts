import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { RawClient } from '../helpers/raw-client.js';
import { startTestServer } from '../helpers/test-server.js';

let chat: ChatFixture;
beforeEach(async () => {
	chat = await chatFixture();
});
afterEach(async () => {
	await chat.close();
});

describe('REG', () => {
	it('creates a user with a lower-cased name and a display name', async () => {
		const client = await chat.connect();
		const response = await client.request('REG', 'Adrian', {
			Name: 'Adrian van den Houten',
			Password: password,
		});
		expect(response.status).toBe(201);
		expect(response.reason).toBe('Created');
		expect(response.json).toEqual({ name: 'adrian', displayName: 'Adrian van den Houten' });
	});

	it.each([
		['a bad name', 'no!spaces', { Password: password }],
		['a name over 32 characters', 'x'.repeat(33), { Password: password }],
		['a name with a colon', 'a:b', { Password: password }],
		['a short password', 'josie', { Password: 'short' }],
		['a missing password', 'josie', {}],
		['a display name with escapes', 'josie', { Password: password, Name: 'a\u001b[2Jb' }],
	])('answers 400 with a JSON error for %s', async (_case, name, headers) => {
		const client = await chat.connect();
		const response = await client.request('REG', name, headers);
		expect(response.status).toBe(400);
		expect(response.headers.get('content-type')).toBe('application/json');
		expect(typeof response.json.error).toBe('string');
	});

	it('answers 400 without a target', async () => {
		const client = await chat.connect();
		expect((await client.request('REG', undefined, { Password: password })).status).toBe(400);
	});

	it('answers 409 for a taken name, whatever its case, and for a group name', async () => {
		await chat.register('adrian');
		const client = await chat.connect();
		expect((await client.request('REG', 'ADRIAN', { Password: password })).status).toBe(409);
		const owner = await chat.user('josie');
		expect((await owner.request('MK_GROUP', 'chat')).status).toBe(201);
		expect((await client.request('REG', 'chat', { Password: password })).status).toBe(409);
	});
});

describe('USE', () => {
	it('answers 200 with a session cookie', async () => {
		await chat.register('adrian');
		const client = await chat.connect();
		const response = await client.login('adrian', password);
		expect(response.status).toBe(200);
		expect(response.headers.get('set-cookie')).toMatch(/^SESSIONID=[0-9a-f-]{36}$/);
	});

	it('answers 401 for a wrong password and for an unknown user alike', async () => {
		await chat.register('adrian');
		const client = await chat.connect();
		const wrong = await client.login('adrian', 'not the password');
		const unknown = await client.login('nobody', password);
		expect([wrong.status, unknown.status]).toEqual([401, 401]);
		expect(wrong.json.error).toBe(unknown.json.error);
	});

	it('answers 429 with Retry-After after 5 failed logins a minute, unknown users included', async () => {
		await chat.register('adrian');
		const client = await chat.connect();
		for (const name of ['adrian', 'ghost']) {
			for (let attempt = 0; attempt < 5; attempt++) {
				expect((await client.login(name, 'wrong password')).status).toBe(401);
			}
			const limited = await client.login(name, name === 'adrian' ? password : 'wrong password');
			expect(limited.status).toBe(429);
			expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		}
		// The connection stays usable.
		expect((await client.request('PING')).status).toBe(200);
	});

	it('lets a user hold several sessions at once', async () => {
		const first = await chat.user('adrian');
		const second = await chat.user('adrian', { register: false });
		expect(first.cookie).not.toBe(second.cookie);
		expect((await first.request('LIST_USER')).status).toBe(200);
		expect((await second.request('LIST_USER')).status).toBe(200);
	});
});

describe('sessions', () => {
	it('only lets anonymous connections use REG, USE and PING', async () => {
		const client = await chat.connect();
		expect((await client.request('PING')).status).toBe(200);
		for (const verb of ['LIST_USER', 'LIST_GROUP', 'LOGOUT']) {
			expect((await client.request(verb)).status).toBe(401);
		}
		expect((await client.request('SEND', 'adrian', {}, 'hi')).status).toBe(401);
	});

	it('answers an unknown cookie with 401 and an expiring Set-Cookie', async () => {
		const client = await chat.connect();
		const response = await client.request('PING', undefined, {
			Cookie: 'SESSIONID=00000000-0000-4000-8000-000000000000',
		});
		expect(response.status).toBe(401);
		expect(response.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
	});

	it('re-binds a session to a new connection by its cookie', async () => {
		const first = await chat.user('adrian');
		const cookie = first.cookie;
		await first.close();
		const second = await chat.connect();
		second.cookie = cookie;
		expect((await second.request('PING')).status).toBe(200);
		// Bound now: later requests need no cookie.
		expect(
			(await second.request('LIST_GROUP', undefined, {}, undefined, { cookie: false })).status,
		).toBe(200);
	});

	it('LOGOUT deletes the session everywhere and expires the cookie', async () => {
		const first = await chat.user('adrian');
		const other = await chat.connect();
		other.cookie = first.cookie;
		expect((await other.request('PING')).status).toBe(200);
		const response = await first.request('LOGOUT');
		expect(response.status).toBe(200);
		expect(response.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
		expect(
			(await other.request('LIST_USER', undefined, {}, undefined, { cookie: false })).status,
		).toBe(401);
		expect((await other.request('LIST_USER')).status).toBe(401);
		expect(
			(await first.request('LOGOUT', undefined, {}, undefined, { cookie: false })).status,
		).toBe(401);
	});

	it('keeps users and sessions across a restart', async () => {
		const server = await startTestServer();
		const client = await RawClient.connect(server.port);
		await client.request('REG', 'adrian', { Password: password });
		await client.login('adrian', password);
		const cookie = client.cookie;
		await client.close();
		await server.close();
		const again = await startTestServer({}, server.dataDir);
		try {
			const revived = await RawClient.connect(again.port);
			revived.cookie = cookie;
			const users = await revived.request('LIST_USER');
			expect(users.status).toBe(200);
			expect(users.json.users).toEqual(['adrian']);
			await revived.close();
		} finally {
			await again.stop();
		}
	});

	it('expires a session unused for 30 days', async () => {
		let now = Date.now();
		const server = await startTestServer({ clock: () => now });
		try {
			const client = await RawClient.connect(server.port);
			await client.request('REG', 'adrian', { Password: password });
			await client.login('adrian', password);
			await client.close();
			now += 31 * 24 * 60 * 60 * 1000;
			const later = await RawClient.connect(server.port);
			later.cookie = client.cookie;
			const response = await later.request('PING');
			expect(response.status).toBe(401);
			expect(response.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
			await later.close();
		} finally {
			await server.stop();
		}
	});
});

describe('LIST_USER', () => {
	it('lists everyone sorted, with display names and who is online', async () => {
		await chat.register('josie', 'Josie');
		const adrian = await chat.user('adrian');
		const response = await adrian.request('LIST_USER');
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			users: ['adrian', 'josie'],
			details: [
				{ name: 'adrian', displayName: 'adrian', online: true },
				{ name: 'josie', displayName: 'Josie', online: false },
			],
		});
	});
});

describe('presence and new users', () => {
	it('tells other logged-in connections, but not the subject', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		const joined = await adrian.waitForPush((p) => p.kind === 'NOTIFY' && p.target === 'user');
		expect(joined.json).toMatchObject({ user: 'josie' });
		const josie = await chat.user('josie', { register: false });
		const online = await adrian.waitForPush((p) => p.target === 'presence');
		expect(online.json).toEqual({ user: 'josie', online: true });
		await josie.close();
		const offline = await adrian.waitForPush((p) => p.target === 'presence');
		expect(offline.json).toEqual({ user: 'josie', online: false });
		expect(josie.pushes.filter((p) => p.json?.user === 'josie')).toEqual([]);
	});
});
