import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminService, operatorName } from '../../source/domain/admin.js';
import { AdminError } from '../../source/domain/admin-types.js';
import type { LogFields, Logger } from '../../source/domain/logger.js';
import { hashSessionId } from '../../source/domain/secrets.js';
import type { ChatStore } from '../../source/domain/store.js';
import { PostgresChatStore } from '../../source/storage/postgres/postgres-chat-store.js';
import { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import {
	isMessage,
	isNotice,
	makeGroup,
	pushesWithin,
	send,
} from '../helpers/conversation-steps.js';
import { testScrypt } from '../helpers/test-server.js';

type Line = { readonly level: string; readonly fields: LogFields; readonly message: string };

/** A Logger that keeps its lines, to show what an admin action wrote. */
function keptLogger(): Logger & { readonly lines: Line[] } {
	const lines: Line[] = [];
	const keep = (level: string) => (fields: LogFields, message: string) =>
		void lines.push({ level, fields, message });
	return {
		lines,
		debug: keep('debug'),
		info: keep('info'),
		warn: keep('warn'),
		error: keep('error'),
	};
}

/** A session row written past createSession, as an older backup restored over the folder may hold. */
async function plantSession(store: ChatStore, id: string, user: string): Promise<void> {
	const row = [hashSessionId(id), user, Date.now(), Date.now()] as const;
	if (store instanceof SqlChatStore) {
		store.db.write((tx) =>
			tx.run('INSERT INTO sessions (id_hash, user, created_at, last_used_at) VALUES (?, ?, ?, ?)', [
				...row,
			]),
		);
	} else if (store instanceof PostgresChatStore) {
		await store.sql`
			INSERT INTO sessions (id_hash, user_name, created_at, last_used_at)
			VALUES (${row[0]}, ${row[1]}, ${row[2]}, ${row[3]})`;
	} else throw new Error('a store this test does not know');
}

let chat: ChatFixture;
let admin: AdminService;
let logger: ReturnType<typeof keptLogger>;
beforeEach(async () => {
	chat = await chatFixture();
	logger = keptLogger();
	const { store, bus } = chat.server;
	admin = new AdminService({ store, bus, clock: Date.now, scrypt: testScrypt, logger });
});
afterEach(async () => {
	await chat.close();
});

const newPassword = 'battery staple';
const adminLines = () => logger.lines.filter((line) => line.fields.event === 'admin');

describe('korichat admin, against a running server', () => {
	it("disable logs out the user's connections, refuses USE with 403, keeps their messages; enable lets them in", async () => {
		const adrian = await chat.user('adrian');
		const laptop = await chat.user('adrian', { register: false });
		const josie = await chat.user('josie');
		await send(adrian, 'josie', 'written before');
		await josie.waitForPush(isMessage('written before'));

		expect(await admin.disable('Adrian')).toEqual({ endedSessions: 2 });
		expect(adminLines()).toEqual([
			{
				level: 'info',
				fields: { event: 'admin', action: 'disable', user: 'adrian', endedSessions: 2 },
				message: 'admin disabled adrian',
			},
		]);

		// Logged out on both connections: no more pushes, the old cookie is refused.
		await send(josie, 'adrian', 'after the disable');
		expect(await pushesWithin(adrian, isMessage('after the disable'))).toEqual([]);
		expect(await pushesWithin(laptop, isMessage('after the disable'), 0)).toEqual([]);
		expect((await adrian.request('LIST_USER')).status).toBe(401);
		expect(
			(await laptop.request('LIST_USER', undefined, {}, undefined, { cookie: false })).status,
		).toBe(401);

		// The right password gets 403 with the reason; a wrong one still 401, telling a guesser nothing.
		const fresh = await chat.connect();
		const refused = await fresh.login('adrian', password);
		expect(refused.status).toBe(403);
		expect(refused.text).toContain("this account is disabled; ask the server's operator");
		expect(refused.headers.get('set-cookie')).toBeUndefined();
		expect((await fresh.login('adrian', 'not the password')).status).toBe(401);
		expect((await admin.users()).find((user) => user.name === 'adrian')).toMatchObject({
			disabled: true,
			sessions: 0,
		});

		// Their messages stay in history.
		const history = await josie.request('HISTORY', 'adrian');
		expect(history.json.messages.map((m: { body: string }) => m.body)).toEqual([
			'written before',
			'after the disable',
		]);

		await admin.enable('adrian');
		expect(adminLines().at(-1)).toMatchObject({ fields: { action: 'enable', user: 'adrian' } });
		const back = await chat.connect();
		expect((await back.login('adrian', password)).status).toBe(200);
		// What was sent while disabled is delivered once they are back.
		expect((await back.waitForPush(isMessage('after the disable'))).text).toBe('after the disable');
	});

	it('refuses a cookie of a disabled user even when its session row outlived the disable', async () => {
		const adrian = await chat.user('adrian');
		const cookie = adrian.cookie!;
		await admin.disable('adrian');
		await plantSession(chat.server.store, cookie, 'adrian');
		expect(await chat.server.store.findSession(cookie)).toBeDefined();
		const other = await chat.connect();
		other.cookie = cookie;
		expect((await other.request('LIST_USER')).status).toBe(401);
		await admin.enable('adrian');
		expect((await other.request('LIST_USER')).status).toBe(200);
	});

	it('reset-password ends every session: the old cookie gets 401, the new password works', async () => {
		const adrian = await chat.user('adrian');
		const oldCookie = adrian.cookie!;
		const josie = await chat.user('josie');

		expect(await admin.resetPassword('adrian', newPassword)).toEqual({ endedSessions: 1 });
		expect(adminLines().at(-1)).toMatchObject({
			fields: { event: 'admin', action: 'reset-password', user: 'adrian' },
		});
		expect(JSON.stringify(logger.lines)).not.toContain(newPassword);

		await send(josie, 'adrian', 'after the reset');
		expect(await pushesWithin(adrian, isMessage())).toEqual([]);
		const other = await chat.connect();
		other.cookie = oldCookie;
		const refused = await other.request('LIST_USER');
		expect(refused.status).toBe(401);
		expect(refused.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');

		expect((await (await chat.connect()).login('adrian', password)).status).toBe(401);
		expect((await (await chat.connect()).login('adrian', newPassword)).status).toBe(200);
	});

	it('delete-group deletes it as RM_GROUP does and tells every member', async () => {
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await makeGroup(adrian, 'chat', 'josie');
		await send(adrian, 'chat', 'in the group');
		expect(await admin.groups()).toEqual([
			expect.objectContaining({ name: 'chat', owner: 'adrian', members: 2, messages: 1 }),
		]);

		await admin.deleteGroup('chat');
		for (const member of [adrian, josie]) {
			const told = await member.waitForPush(
				(push) => isNotice('group')(push) && push.json?.event === 'deleted',
			);
			expect(told.json).toEqual({ group: 'chat', event: 'deleted', by: operatorName });
		}
		expect(adminLines().at(-1)).toMatchObject({
			fields: { action: 'delete-group', group: 'chat' },
		});
		expect((await adrian.request('LIST_GROUP')).json.groups).toEqual([]);
		expect((await adrian.request('SEND', 'chat', {}, 'anyone?')).status).toBe(404);
		expect(await admin.groups()).toEqual([]);
	});

	it('create-user makes an account that logs in, and tells who is online', async () => {
		const josie = await chat.user('josie');
		const made = await admin.createUser('Kim', 'a long password', 'Kim K.');
		expect(made).toMatchObject({
			name: 'kim',
			displayName: 'Kim K.',
			sessions: 0,
			disabled: false,
		});
		const told = await josie.waitForPush(isNotice('user'));
		expect(told.json).toEqual({ user: 'kim', displayName: 'Kim K.' });
		expect(adminLines().at(-1)).toMatchObject({ fields: { action: 'create-user', user: 'kim' } });

		const kim = await chat.connect();
		expect((await kim.login('kim', 'a long password')).status).toBe(200);
		const [listed] = (await admin.users()).filter((user) => user.name === 'kim');
		expect(listed).toMatchObject({ sessions: 1, disabled: false });
		expect(Date.parse(listed!.lastSeen!)).toBeGreaterThan(0);
		const sessions = await admin.sessions('kim');
		expect(sessions).toHaveLength(1);
		expect(sessions[0]!.fingerprint).toMatch(/^[A-Za-z0-9_-]{12}$/);
		expect(kim.cookie).not.toContain(sessions[0]!.fingerprint);
	});

	it('refuses bad names, weak passwords and unknown users with a clear AdminError, changing nothing', async () => {
		await chat.register('adrian');
		await chat.register('josie');
		const before = await admin.users();
		const refusals: [() => Promise<unknown>, RegExp][] = [
			[() => admin.createUser('no spaces', 'a long password'), /invalid user name "no spaces"/],
			[() => admin.createUser('kim', 'short'), /8 to 256 characters/],
			[() => admin.createUser('adrian', 'a long password'), /"adrian" is already taken/],
			[() => admin.resetPassword('nobody', newPassword), /no user named "nobody"/],
			[() => admin.resetPassword('adrian', 'short'), /8 to 256 characters/],
			[() => admin.disable('nobody'), /no user named "nobody"/],
			[() => admin.enable('nobody'), /no user named "nobody"/],
			[() => admin.sessions('nobody'), /no user named "nobody"/],
			[() => admin.disable('bad/name'), /invalid user name/],
			[() => admin.deleteGroup('nothing'), /no group named "nothing"/],
		];
		for (const [run, reason] of refusals) {
			const error = await run().then(
				() => undefined,
				(failure: unknown) => failure,
			);
			expect(error, String(reason)).toBeInstanceOf(AdminError);
			expect((error as Error).message).toMatch(reason);
			expect((error as Error).message).not.toContain('\n');
		}
		expect(await admin.users()).toEqual(before);
		expect(adminLines()).toEqual([]);
		expect((await (await chat.connect()).login('adrian', password)).status).toBe(200);
	});

	it('stats counts users, groups, messages, the queue and the storage', async () => {
		const adrian = await chat.user('adrian');
		await chat.register('josie');
		await send(adrian, 'josie', 'waiting for josie');
		const stats = await admin.stats();
		// josie has it queued; adrian's own copy is pushed to him but not yet ACKed.
		expect(stats).toMatchObject({ users: 2, groups: 0, messages: 1, queueDepth: 2 });
		expect(stats.connections).toBeNull();
		expect(stats.loggedInUsers).toBeNull();
		expect(stats.databaseBytes).toBeGreaterThan(0);
	});
});
