import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, adminJson, startServer, type RunningServer } from './operator.js';

// docs/operating.md "Accounts and groups: korichat admin", each command a separate process
// against a running server, the effect checked over CHAT/1.0 on real TCP.
const PASSWORDS = {
	alice: 'alice-pass-Q7xv',
	bob: 'bob-pass-K3mz',
	carol: 'carol-created-by-admin-W9pl',
	bobReset: 'bob-reset-by-admin-Z2hy',
};

describe('korichat admin against a running server (acceptance)', () => {
	let temp: TempDir;
	let data: string;
	let server: RunningServer;
	const clients: RawClient[] = [];
	const cookies: string[] = [];

	async function loggedIn(user: string, password: string): Promise<RawClient> {
		const client = await RawClient.connect(server.port);
		clients.push(client);
		const response = await client.login(user, password);
		expect(response.status, `USE ${user}: ${response.text}`).toBe(200);
		cookies.push(client.cookie!);
		return client;
	}

	beforeAll(async () => {
		temp = await makeTempDir();
		data = `${temp.dir}/data`;
		server = await startServer(data);
		const anonymous = await RawClient.connect(server.port);
		clients.push(anonymous);
		for (const user of ['alice', 'bob'] as const) {
			const reg = await anonymous.request('REG', user, {
				Password: PASSWORDS[user],
				Name: `${user} X`,
			});
			expect(reg.status).toBe(201);
		}
	});
	afterAll(async () => {
		for (const client of clients) await client.close();
		await server?.stop();
		await temp?.remove();
	});

	it('users and groups list what exists, as a table and as --json', async () => {
		const alice = await loggedIn('alice', PASSWORDS.alice);
		expect((await alice.request('MK_GROUP', 'crew')).status).toBe(201);

		const table = await admin(['users', '--data', data]);
		expect(table.code).toBe(0);
		expect(table.stdout).toMatch(/alice/);
		expect(table.stdout).toMatch(/bob/);
		const users = await adminJson(['users', '--data', data]);
		const aliceRow = users.find((user: any) => user.name === 'alice');
		expect(aliceRow).toMatchObject({ name: 'alice', displayName: 'alice X', disabled: false });
		expect(aliceRow.sessions).toBe(1);
		expect(users.map((user: any) => user.name).sort()).toEqual(['alice', 'bob']);

		const groups = await adminJson(['groups', '--data', data]);
		expect(groups).toHaveLength(1);
		expect(groups[0]).toMatchObject({ name: 'crew', owner: 'alice' });
		expect((await admin(['groups', '--data', data])).stdout).toMatch(/crew/);
	});

	it('create-user takes KORICHAT_PASSWORD, and the account can log in over TCP', async () => {
		const created = await admin(['create-user', 'carol', '--name', 'Carol C', '--data', data], {
			KORICHAT_PASSWORD: PASSWORDS.carol,
		});
		expect(created.code, created.stderr).toBe(0);
		await loggedIn('carol', PASSWORDS.carol);
		const taken = await admin(['create-user', 'carol', '--data', data], {
			KORICHAT_PASSWORD: PASSWORDS.carol,
		});
		expect(taken.code).toBe(1);
		expect(taken.stderr.trim().split('\n')).toHaveLength(1);
		const none = await admin(['create-user', 'dave', '--data', data], { KORICHAT_PASSWORD: '' });
		expect(none.code).not.toBe(0);
	});

	it('disable: open connection stops getting pushes, USE gets 403, messages stay; enable lets it in and delivers', async () => {
		const alice = await loggedIn('alice', PASSWORDS.alice);
		const bob = await loggedIn('bob', PASSWORDS.bob);
		const before = await bob.request('SEND', 'alice', {}, 'bob wrote this before being disabled');
		expect(before.status).toBe(202);
		const probe = await alice.request('SEND', 'bob', {}, 'first dm to bob');
		expect(probe.status).toBe(202);
		await bob.waitForPush((push) => push.kind === 'MSG' && push.text === 'first dm to bob');

		const disabled = await admin(['disable', 'bob', '--data', data]);
		expect(disabled.code, disabled.stderr).toBe(0);

		const whileDisabled = await alice.request('SEND', 'bob', {}, 'dm while bob is disabled');
		expect(whileDisabled.status).toBe(202);
		await expect(
			bob.waitForPush(
				(push) => push.kind === 'MSG' && push.text === 'dm while bob is disabled',
				1500,
			),
		).rejects.toThrow();

		const fresh = await RawClient.connect(server.port);
		clients.push(fresh);
		const refused = await fresh.login('bob', PASSWORDS.bob);
		expect(refused.status).toBe(403);
		expect(refused.json.error).toEqual(expect.any(String));
		const oldCookie = await bob.request('PING');
		expect(oldCookie.status).toBe(401);

		const history = await alice.request('HISTORY', 'bob', { Limit: '500' });
		expect(history.status).toBe(200);
		expect(history.json.messages.map((m: any) => m.body)).toContain(
			'bob wrote this before being disabled',
		);
		expect(
			(await adminJson(['users', '--data', data])).find((u: any) => u.name === 'bob').disabled,
		).toBe(true);

		const enabled = await admin(['enable', 'bob', '--data', data]);
		expect(enabled.code, enabled.stderr).toBe(0);
		const back = await loggedIn('bob', PASSWORDS.bob);
		await back.waitForPush(
			(push) => push.kind === 'MSG' && push.text === 'dm while bob is disabled',
		);
	});

	it('reset-password: the old cookie gets 401, the old password 401, the new one works', async () => {
		const bob = await loggedIn('bob', PASSWORDS.bob);
		expect((await bob.request('PING')).status).toBe(200);
		const reset = await admin(['reset-password', 'bob', '--data', data], {
			KORICHAT_PASSWORD: PASSWORDS.bobReset,
		});
		expect(reset.code, reset.stderr).toBe(0);
		const alice = await loggedIn('alice', PASSWORDS.alice);
		expect((await alice.request('SEND', 'bob', {}, 'after the reset')).status).toBe(202);
		await expect(
			bob.waitForPush((push) => push.kind === 'MSG' && push.text === 'after the reset', 1000),
		).rejects.toThrow();
		const stale = await bob.request('PING');
		expect(stale.status).toBe(401);
		const other = await RawClient.connect(server.port);
		clients.push(other);
		expect((await other.login('bob', PASSWORDS.bob)).status).toBe(401);
		await loggedIn('bob', PASSWORDS.bobReset);
	});

	it('delete-group: members are told by a push and the group is gone', async () => {
		const alice = await loggedIn('alice', PASSWORDS.alice);
		const bob = await loggedIn('bob', PASSWORDS.bobReset);
		expect((await alice.request('MK_GROUP', 'doomed')).status).toBe(201);
		expect((await alice.request('ADD_USER', 'doomed', { Invite: 'bob' })).status).toBe(200);
		expect((await alice.request('SEND', 'doomed', {}, 'soon gone')).status).toBe(202);

		const deleted = await admin(['delete-group', 'doomed', '--data', data]);
		expect(deleted.code, deleted.stderr).toBe(0);
		const told = await bob.waitForPush(
			(push) =>
				push.kind === 'NOTIFY' && push.json?.group === 'doomed' && push.json?.event === 'deleted',
		);
		expect(told.json.group).toBe('doomed');
		expect((await bob.request('HISTORY', 'doomed')).status).toBe(404);
		const groups = (await alice.request('LIST_GROUP')).json.groups.map((g: any) => g.name);
		expect(groups).not.toContain('doomed');
		expect((await adminJson(['groups', '--data', data])).map((g: any) => g.name)).not.toContain(
			'doomed',
		);
		const unknown = await admin(['delete-group', 'doomed', '--data', data]);
		expect(unknown.code).toBe(1);
	});

	it('sessions lists one fingerprint per live session, none of them a cookie', async () => {
		await loggedIn('carol', PASSWORDS.carol);
		const sessions = await adminJson(['sessions', 'carol', '--data', data]);
		expect(sessions).toHaveLength(2);
		const text =
			JSON.stringify(sessions) + (await admin(['sessions', 'carol', '--data', data])).stdout;
		for (const cookie of cookies) expect(text).not.toContain(cookie);
		for (const cookie of cookies) expect(text).not.toContain(cookie.slice(0, 12));
	});

	it('stats counts what was done', async () => {
		const stats = await adminJson(['stats', '--data', data]);
		const history = async (client: RawClient, target: string) =>
			(await client.request('HISTORY', target, { Limit: '500' })).json.messages.length;
		const alice = await loggedIn('alice', PASSWORDS.alice);
		const messages = (await history(alice, 'bob')) + (await history(alice, 'crew'));
		expect(stats).toMatchObject({ users: 3, groups: 1, messages });
		const open = clients.filter((client) => !client.socket.destroyed).length - 1; // minus the new alice
		expect(stats.connections).toBe(open);
		expect(stats.databaseBytes).toBeGreaterThan(0);
	});

	it('every admin action is in the server log, and no password is', async () => {
		const lines = server
			.log()
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line));
		const actions = lines.filter((line) => line.event === 'admin').map((line) => line.action);
		for (const action of ['create-user', 'disable', 'enable', 'reset-password', 'delete-group'])
			expect(actions).toContain(action);
		for (const password of Object.values(PASSWORDS)) expect(server.log()).not.toContain(password);
		for (const cookie of cookies) expect(server.log()).not.toContain(cookie);
	});
});
