import { mkdir, readFile, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliProcess } from '../helpers/cli-process.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, adminOk, serveHeadless, stop } from './support/admin-process.js';

const password = 'correct horse';

let temp: TempDir;
const servers: CliProcess[] = [];
beforeEach(async () => {
	temp = await makeTempDir();
});
afterEach(async () => {
	for (const server of servers.splice(0)) await stop(server, 'SIGKILL');
	await temp.remove();
});

async function serve(dataDir: string): Promise<{ cli: CliProcess; port: number }> {
	const cli = serveHeadless(dataDir);
	servers.push(cli);
	return { cli, port: await cli.listening };
}

async function withClient<T>(port: number, run: (client: RawClient) => Promise<T>): Promise<T> {
	const client = await RawClient.connect(port);
	try {
		return await run(client);
	} finally {
		await client.close();
	}
}

const register = (port: number, name: string) =>
	withClient(port, async (client) => {
		expect((await client.request('REG', name, { Password: password })).status).toBe(201);
	});

const loginStatus = (port: number, name: string, secret = password) =>
	withClient(port, async (client) => (await client.login(name, secret)).status);

describe('korichat admin on a stopped data folder', { timeout: 60_000 }, () => {
	it('opens the folder directly, logs what it did there, and the next server sees it', async () => {
		const dataDir = path.join(temp.dir, 'data');
		const first = await serve(dataDir);
		await register(first.port, 'adrian');
		expect(await loginStatus(first.port, 'adrian')).toBe(200);
		expect(await stop(first.cli)).toBe(0);
		await expect(stat(path.join(dataDir, 'control.sock'))).rejects.toThrow(/ENOENT/);

		const users = await adminOk(['users', '--data', dataDir, '--json']);
		expect(users.json).toEqual([expect.objectContaining({ name: 'adrian', sessions: 1 })]);
		await adminOk(['create-user', 'bea', '--data', dataDir], { KORICHAT_PASSWORD: 'bea password' });
		await adminOk(['disable', 'adrian', '--data', dataDir]);
		const stats = await adminOk(['stats', '--data', dataDir]);
		expect(stats.stdout).toMatch(/^connections +- \(no server running\)$/m);
		const log = await readFile(path.join(dataDir, 'server.log'), 'utf8');
		expect(log).toMatch(/admin created bea/);
		expect(log).toMatch(/admin disabled adrian/);
		expect(log).not.toContain('bea password');

		const second = await serve(dataDir);
		expect(await loginStatus(second.port, 'bea', 'bea password')).toBe(200);
		expect(await loginStatus(second.port, 'adrian')).toBe(403);
		// Over the socket this time; the server's log has it.
		await adminOk(['enable', 'adrian', '--data', dataDir]);
		expect(await loginStatus(second.port, 'adrian')).toBe(200);
		expect(second.cli.stderr()).toMatch(/admin enabled adrian/);
	});

	it('refuses a folder that does not exist, exit 2', async () => {
		const run = await admin(['users', '--data', path.join(temp.dir, 'nowhere')]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^korichat: there is no data folder .*nowhere/);
		await expect(stat(path.join(temp.dir, 'nowhere'))).rejects.toThrow(/ENOENT/);
	});

	it('says in one line, exit 4, that a server holds the folder when its socket is gone', async () => {
		const { cli } = await serve(temp.dir);
		await unlink(path.join(temp.dir, 'control.sock'));
		const run = await admin(['users', '--data', temp.dir]);
		expect(run.code).toBe(4);
		expect(run.stderr.trim().split('\n')).toEqual([
			`korichat: ${temp.dir} is in use by a KoriChat server (pid ${cli.child.pid}), but its control socket does not answer; stop the server to run admin on the folder directly`,
		]);
	});

	it('runs without the socket when the path is too long for one, and admin says why', async () => {
		const deep = path.join(
			temp.dir,
			'a-folder-name-long-enough-to-push-the-socket-path-past-the-limit',
			'x'.repeat(40),
		);
		await mkdir(deep, { recursive: true });
		const { cli, port } = await serve(deep);
		expect(await loginStatus(port, 'nobody')).toBe(401);
		const warnings = cli
			.stderr()
			.trim()
			.split('\n')
			.map((line) => JSON.parse(line) as { level: number; msg: string })
			.filter((entry) => entry.level >= 40);
		expect(warnings).toHaveLength(1);
		expect(warnings[0]?.msg).toMatch(/control socket path .* longer than the 107/);
		const run = await admin(['stats', '--data', deep]);
		expect(run.code).toBe(4);
		expect(run.stderr).toMatch(
			/^korichat: .*in use by a KoriChat server .*longer than the 107.*\n$/,
		);
	});
});

describe('korichat admin backup and restore', { timeout: 60_000 }, () => {
	it('backs up a running server, refuses to restore onto it, and restores into a new folder', async () => {
		const live = path.join(temp.dir, 'live');
		const { cli, port } = await serve(live);
		await register(port, 'adrian');
		await register(port, 'josie');
		const sent = await withClient(port, async (client) => {
			await client.login('adrian');
			const ids: number[] = [];
			for (let i = 0; i < 20; i++) {
				const response = await client.request('SEND', 'josie', {}, `message ${i}`);
				expect(response.status).toBe(202);
				ids.push(Number(response.headers.get('message-id')));
			}
			return ids;
		});
		const file = path.join(temp.dir, 'korichat.backup');
		const written = await adminOk(['backup', file, '--data', live, '--json']);
		expect(written.json).toMatchObject({ file, lastMessageId: sent.at(-1) });
		expect((await stat(file)).size).toBe(written.json.bytes);
		const again = await admin(['backup', file, '--data', live]);
		expect(again.code).toBe(1);
		expect(again.stderr.trim().split('\n')).toHaveLength(1);
		await adminOk(['backup', file, '--overwrite', '--data', live]);

		const onLive = await admin(['restore', file, '--data', live]);
		expect(onLive.code).toBe(1);
		expect(onLive.stderr).toBe(
			`korichat: a KoriChat server (pid ${cli.child.pid}) is running on ${live}: stop it before restoring into the folder\n`,
		);

		const copy = path.join(temp.dir, 'copy');
		const restored = await adminOk(['restore', file, '--data', copy]);
		expect(restored.stdout).toMatch(/^restored .* 2 users, 20 messages/);
		const notEmpty = await admin(['restore', file, '--data', copy]);
		expect(notEmpty.code).toBe(1);
		expect(notEmpty.stderr).toMatch(/already holds data.*--force/);
		await adminOk(['restore', file, '--data', copy, '--force']);

		const { port: copyPort } = await serve(copy);
		const history = await withClient(copyPort, async (client) => {
			await client.login('josie');
			return (await client.request('HISTORY', 'adrian', { Limit: '500' })).json.messages;
		});
		expect(history.map((message: any) => message.id)).toEqual(sent);
	});

	it('points to pg_dump for a PostgreSQL store, exit 2', async () => {
		const run = await admin([
			'backup',
			path.join(temp.dir, 'x'),
			'--store',
			'postgres://nowhere/db',
		]);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^korichat: a PostgreSQL store is backed up with pg_dump/);
	});
});
