import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { configDir, CookieStore } from '../../source/client/cookie-store.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import {
	clientFixture,
	collectMessages,
	password,
	type ClientFixture,
} from './support/client-fixture.js';
import { nextEvent, waitUntil } from './support/wait.js';

let temp: TempDir;
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	await temp.remove();
});

const mode = (file: string) => statSync(file).mode & 0o777;
const session = { user: 'adrian', sessionId: '6a05ef36-0233-4c52-8825-d227ae6f55f3' };

describe('CookieStore', () => {
	it('keeps sessions per server in <dir>/sessions.json, readable by the owner only', () => {
		const dir = path.join(temp.dir, 'config');
		const store = new CookieStore(dir);
		store.save('127.0.0.1:5674', session);
		store.save('chat.example.org:6000', { user: 'josie', sessionId: 'abc' });
		expect(store.path).toBe(path.join(dir, 'sessions.json'));
		expect(mode(store.path)).toBe(0o600);
		expect(mode(dir)).toBe(0o700);
		expect(JSON.parse(readFileSync(store.path, 'utf8'))).toEqual({
			sessions: {
				'127.0.0.1:5674': session,
				'chat.example.org:6000': { user: 'josie', sessionId: 'abc' },
			},
		});
		expect(new CookieStore(dir).load('127.0.0.1:5674')).toEqual(session);
		store.clear('127.0.0.1:5674');
		expect(new CookieStore(dir).load('127.0.0.1:5674')).toBeUndefined();
		expect(store.load('chat.example.org:6000')).toEqual({ user: 'josie', sessionId: 'abc' });
		expect(mode(store.path)).toBe(0o600);
	});

	it('starts over when the file is damaged, rather than failing every command', () => {
		writeFileSync(path.join(temp.dir, 'sessions.json'), '{ not json');
		const store = new CookieStore(temp.dir);
		expect(store.load('127.0.0.1:5674')).toBeUndefined();
		store.save('127.0.0.1:5674', session);
		expect(store.load('127.0.0.1:5674')).toEqual(session);
	});

	it('lives in --config, else $KORICHAT_CONFIG_DIR, else the user config folder', () => {
		expect(configDir('/from/flag', { KORICHAT_CONFIG_DIR: '/from/env' })).toBe('/from/flag');
		expect(configDir(undefined, { KORICHAT_CONFIG_DIR: '/from/env' })).toBe('/from/env');
		expect(configDir(undefined, {})).toMatch(/korichat$/);
	});
});

describe('ChatClient with a CookieStore', () => {
	let chat: ClientFixture;
	beforeEach(async () => {
		chat = await clientFixture();
	});
	afterEach(async () => {
		await chat.close();
	});

	const key = () => `127.0.0.1:${chat.server.port}`;

	it('stores the session on login, resumes it in a new client, clears it on logout', async () => {
		const store = new CookieStore(temp.dir);
		const first = await chat.client({ sessions: store });
		await first.register('adrian', password);
		const { sessionId } = await first.login('adrian', password);
		expect(store.load(key())).toEqual({ user: 'adrian', sessionId });
		await first.close();

		await (await chat.user('josie')).send('adrian', 'while you were away');
		const second = new ChatClient({ server: key(), sessions: new CookieStore(temp.dir) });
		const received = collectMessages(second);
		await second.connect();
		// The PING with the stored Cookie re-bound the session and restarted delivery.
		expect(second.user).toBe('adrian');
		await waitUntil(() => received.length === 1, 'the queued message');
		expect(received[0]!.body).toBe('while you were away');
		expect((await second.listGroups()).length).toBe(0);
		await second.logout();
		expect(new CookieStore(temp.dir).load(key())).toBeUndefined();
		await second.close();
	});

	it('clears the session when the server answers 401 with an expiring Set-Cookie', async () => {
		const store = new CookieStore(temp.dir);
		const phone = await chat.client({ sessions: store });
		await phone.register('adrian', password);
		const phoneSession = await phone.login('adrian', password);
		// The same session, resumed in another client, is ended there (which clears the shared file)…
		const laptop = await chat.client({ sessions: new CookieStore(temp.dir) });
		expect(laptop.user).toBe('adrian');
		await laptop.logout();
		expect(store.load(key())).toBeUndefined();
		// …so put it back, to see the phone clear it on its own when the server refuses it.
		store.save(key(), phoneSession);

		const loggedOut = nextEvent(phone, 'logged-out');
		await expect(phone.listUsers()).rejects.toMatchObject({ status: 401 });
		expect(await loggedOut).toEqual(['expired', 'adrian']);
		expect(phone.user).toBeUndefined();
		expect(new CookieStore(temp.dir).load(key())).toBeUndefined();
	});

	it('keeps the session after a wrong password (a 401 that expires nothing)', async () => {
		const store = new CookieStore(temp.dir);
		const client = await chat.client({ sessions: store });
		await client.register('adrian', password);
		const { sessionId } = await client.login('adrian', password);
		await expect(client.login('adrian', 'wrong password')).rejects.toMatchObject({ status: 401 });
		expect(store.load(key())).toEqual({ user: 'adrian', sessionId });
		expect(client.user).toBe('adrian');
	});
});
