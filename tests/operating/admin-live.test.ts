import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliProcess } from '../helpers/cli-process.js';
import { RawClient, type RawPush } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, adminOk, serveHeadless, stop } from './support/admin-process.js';

const password = 'correct horse';
const isMessage = (push: RawPush) => push.kind === 'MSG';

let temp: TempDir;
let server: CliProcess;
let port: number;
const clients: RawClient[] = [];

beforeAll(async () => {
	temp = await makeTempDir();
	server = serveHeadless(temp.dir);
	port = await server.listening;
});
afterAll(async () => {
	for (const client of clients.splice(0)) await client.close();
	await stop(server, 'SIGKILL');
	await temp.remove();
});

async function connect(): Promise<RawClient> {
	const client = await RawClient.connect(port);
	clients.push(client);
	return client;
}

async function registered(name: string): Promise<RawClient> {
	const client = await connect();
	expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	expect((await client.login(name, password)).status).toBe(200);
	return client;
}

const data = () => ['--data', temp.dir];

async function send(from: RawClient, to: string, text: string): Promise<void> {
	const response = await from.request('SEND', to, {}, text);
	expect(response.status).toBe(202);
}

describe('korichat admin against a running server', { timeout: 60_000 }, () => {
	it('listens on an owner-only socket in the data folder', async () => {
		const socket = await stat(path.join(temp.dir, 'control.sock'));
		expect(socket.isSocket()).toBe(true);
		expect(socket.mode & 0o777).toBe(0o600);
		expect((await stat(temp.dir)).mode & 0o077).toBe(0);
	});

	it('lists users and groups, and creates a user who can then log in', async () => {
		const adrian = await registered('adrian');
		expect((await adrian.request('MK_GROUP', 'lounge')).status).toBe(201);

		const created = await adminOk(
			['create-user', 'carol', '--name', 'Carol C', ...data(), '--json'],
			{
				KORICHAT_PASSWORD: 'carol password',
			},
		);
		expect(created.json).toMatchObject({ name: 'carol', displayName: 'Carol C', disabled: false });
		const carol = await connect();
		expect((await carol.login('carol', 'carol password')).status).toBe(200);

		const users = await adminOk(['users', ...data(), '--json']);
		const byName = new Map(users.json.map((user: any) => [user.name, user]));
		expect(byName.get('carol')).toMatchObject({
			displayName: 'Carol C',
			sessions: 1,
			disabled: false,
		});
		expect(byName.get('adrian')).toMatchObject({ sessions: 1, disabled: false });

		const table = await adminOk(['users', ...data()]);
		const lines = table.stdout.trim().split('\n');
		expect(lines[0]).toMatch(/^NAME\s+DISPLAY NAME\s+CREATED\s+LAST SEEN\s+SESSIONS\s+DISABLED$/);
		expect(lines.find((line) => line.startsWith('carol '))).toMatch(/Carol C .* 1 +no$/);

		const groups = await adminOk(['groups', ...data(), '--json']);
		expect(groups.json).toEqual([
			expect.objectContaining({ name: 'lounge', owner: 'adrian', members: 1, messages: 0 }),
		]);
		const existing = await admin(['create-user', 'carol', ...data()], {
			KORICHAT_PASSWORD: 'x'.repeat(12),
		});
		expect(existing.code).toBe(1);
		expect(existing.stderr.trim().split('\n')).toHaveLength(1);
	});

	it('disables a user: its connection stops getting pushes and USE gets 403; enable lets it in', async () => {
		const josie = await registered('josie');
		const mika = await registered('mika');
		await send(mika, 'josie', 'before');
		await josie.waitForPush(isMessage);

		const disabled = await adminOk(['disable', 'josie', ...data(), '--json']);
		expect(disabled.json).toEqual({ user: 'josie', disabled: true, endedSessions: 1 });
		await send(mika, 'josie', 'while disabled');
		await expect(josie.waitForPush(isMessage, 800)).rejects.toThrow('no matching push');
		expect((await josie.request('LIST_USER')).status).toBe(401);
		const again = await connect();
		const refused = await again.login('josie', password);
		expect(refused.status).toBe(403);
		const users = await adminOk(['users', ...data(), '--json']);
		expect(users.json.find((user: any) => user.name === 'josie')).toMatchObject({
			disabled: true,
			sessions: 0,
		});
		// Its messages stay.
		expect((await mika.request('HISTORY', 'josie')).json.messages).toHaveLength(2);

		await adminOk(['enable', 'josie', ...data()]);
		const back = await connect();
		expect((await back.login('josie', password)).status).toBe(200);
		const pushed = await back.waitForPush(
			(push) => isMessage(push) && push.text === 'while disabled',
		);
		expect(pushed.text).toBe('while disabled');
	});

	it('resets a password: the old cookie gets 401, the new password logs in', async () => {
		const nora = await registered('nora');
		const cookie = nora.cookie;
		await adminOk(['sessions', 'nora', ...data()]);
		const listed = await adminOk(['sessions', 'nora', ...data(), '--json']);
		expect(listed.json).toHaveLength(1);
		expect(listed.json[0].fingerprint).toMatch(/^[A-Za-z0-9_-]{12}$/);
		expect(cookie).not.toContain(listed.json[0].fingerprint);

		const reset = await adminOk(['reset-password', 'nora', ...data()], {
			KORICHAT_PASSWORD: 'a brand new one',
		});
		expect(reset.stdout).toBe('reset the password of nora; ended 1 session\n');
		const later = await connect();
		later.cookie = cookie;
		expect((await later.request('LIST_USER')).status).toBe(401);
		expect((await later.login('nora', password)).status).toBe(401);
		expect((await later.login('nora', 'a brand new one')).status).toBe(200);
		expect((await adminOk(['sessions', 'nora', ...data(), '--json'])).json).toHaveLength(1);
	});

	it('counts connections and logged-in users in stats, and they move', async () => {
		const before = (await adminOk(['stats', ...data(), '--json'])).json;
		expect(before.connections).toEqual(expect.any(Number));
		const olga = await registered('olga');
		await send(olga, 'olga', 'note to self');
		const idle = await connect();
		const after = (await adminOk(['stats', ...data(), '--json'])).json;
		expect(after.connections).toBe(before.connections + 2);
		expect(after.loggedInUsers).toBe(before.loggedInUsers + 1);
		expect(after.users).toBe(before.users + 1);
		expect(after.messages).toBe(before.messages + 1);
		expect(after.databaseBytes).toBeGreaterThan(0);
		expect(after.journalBytes).toEqual(expect.any(Number));
		await idle.close();
		const table = await adminOk(['stats', ...data()]);
		expect(table.stdout).toMatch(/^users +\d+$/m);
		expect(table.stdout).toMatch(/^connections +\d+$/m);
	});

	it('deletes a group; its members are told', async () => {
		const owner = await registered('pia');
		const member = await registered('quinn');
		expect((await owner.request('MK_GROUP', 'doomed')).status).toBe(201);
		expect((await owner.request('ADD_USER', 'doomed', { Invite: 'quinn' })).status).toBe(200);
		await adminOk(['delete-group', 'doomed', ...data()]);
		const told = await member.waitForPush(
			(push) => push.kind === 'NOTIFY' && push.json?.event === 'deleted',
		);
		expect(told.json).toMatchObject({ group: 'doomed' });
		const groups = (await adminOk(['groups', ...data(), '--json'])).json;
		expect(groups.map((group: any) => group.name)).not.toContain('doomed');
		expect((await member.request('HISTORY', 'doomed')).status).toBe(404);
		const missing = await admin(['delete-group', 'doomed', ...data()]);
		expect(missing.code).toBe(1);
		expect(missing.stderr).toMatch(/^korichat: .*doomed.*\n$/);
	});

	it('says in one line, exit 1, that a user does not exist', async () => {
		for (const command of ['disable', 'enable', 'sessions']) {
			const run = await admin([command, 'nobody', ...data()]);
			expect(run.code).toBe(1);
			expect(run.stderr).toMatch(/^korichat: .*nobody.*\n$/);
			expect(run.stdout).toBe('');
		}
		const badName = await admin(['disable', 'Not A Name!', ...data()]);
		expect(badName.code).toBe(2);
	});

	it('answers garbage on the socket with an error and keeps serving', async () => {
		const { connect: connectSocket } = await import('node:net');
		const socket = connectSocket(path.join(temp.dir, 'control.sock'));
		let received = '';
		socket.on('data', (chunk) => (received += chunk));
		const closed = new Promise((resolve) => socket.on('close', resolve));
		const answers = async (count: number) => {
			while (received.split('\n').length <= count) await new Promise((r) => setTimeout(r, 10));
			return received
				.trim()
				.split('\n')
				.map((line) => JSON.parse(line));
		};
		socket.write('not json at all\n');
		socket.write('{"id":7,"command":"format-disk","args":[]}\n');
		socket.write('{"id":8,"command":"disable","args":[42]}\n');
		socket.write('{"id":9,"command":"users","args":[]}\n');
		const [notJson, unknown, badArgs, users] = await answers(4);
		expect(notJson).toMatchObject({ id: null, ok: false, error: { kind: 'request' } });
		expect(unknown).toMatchObject({ id: 7, ok: false, error: { kind: 'request' } });
		expect(unknown.error.message).toMatch(/unknown command "format-disk"/);
		expect(badArgs).toMatchObject({ id: 8, ok: false });
		expect(users).toMatchObject({ id: 9, ok: true });
		// A line over 1 MiB is refused, and the connection closed.
		socket.write(Buffer.alloc(1024 * 1024 + 10, 'a'));
		await closed;
		const last = JSON.parse(received.trim().split('\n').at(-1)!);
		expect(last).toMatchObject({ ok: false, error: { kind: 'request' } });
		expect(last.error.message).toMatch(/longer than/);

		await adminOk(['users', ...data()]);
		const client = await connect();
		expect((await client.request('PING')).status).toBe(200);
	});

	it('says so in one line, exit 4, when the server holds the folder but does not answer', async () => {
		server.child.kill('SIGSTOP');
		try {
			const run = await admin(['users', ...data()]);
			expect(run.code).toBe(4);
			expect(run.stderr.trim().split('\n')).toHaveLength(1);
			expect(run.stderr).toMatch(/did not answer/);
		} finally {
			server.child.kill('SIGCONT');
		}
		await adminOk(['users', ...data()]);
	});
});
