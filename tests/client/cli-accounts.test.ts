import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli-process.js';
import { startTestServer } from '../helpers/test-server.js';
import { manyCommands, password, useCliFixture } from './support/cli-fixture.js';

const cli = useCliFixture();

describe('korichat register / login / logout', () => {
	it(
		'registers, logs in (keeping the session in a 0600 file) and logs out',
		async () => {
			const registered = await cli.korichat(['register', 'Adrian', '--name', 'Adrian Smith']);
			expect(registered).toEqual({
				code: 0,
				stdout: 'registered adrian; now run: korichat login adrian\n',
				stderr: '',
			});
			const login = await cli.korichat(['login', 'adrian']);
			expect(login.stdout).toBe(`logged in as adrian on 127.0.0.1:${cli.server.port}\n`);
			const file = path.join(cli.config.dir, 'sessions.json');
			expect(statSync(file).mode & 0o777).toBe(0o600);
			const stored = JSON.parse(readFileSync(file, 'utf8')).sessions[
				`127.0.0.1:${cli.server.port}`
			];
			expect(stored).toEqual({
				user: 'adrian',
				sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
			});

			const logout = await cli.korichat(['logout']);
			expect(logout).toEqual({
				code: 0,
				stdout: `logged out of 127.0.0.1:${cli.server.port}\n`,
				stderr: '',
			});
			expect(JSON.parse(readFileSync(file, 'utf8')).sessions).toEqual({});
			const after = await cli.korichat(['users']);
			expect(after.code).toBe(3);
			expect(after.stderr).toBe(
				`korichat: not logged in to 127.0.0.1:${cli.server.port}: run \`korichat login <user>\` first\n`,
			);
		},
		manyCommands,
	);

	it(
		'says so when the stored session has expired, and forgets it',
		async () => {
			await cli.loggedIn('adrian');
			const file = path.join(cli.config.dir, 'sessions.json');
			const content = JSON.parse(readFileSync(file, 'utf8'));
			// As if the server had expired the session: an id it does not know.
			content.sessions[`127.0.0.1:${cli.server.port}`].sessionId =
				'00000000-0000-4000-8000-000000000000';
			writeFileSync(file, JSON.stringify(content));
			const users = await cli.korichat(['users']);
			expect(users).toMatchObject({
				code: 3,
				stderr: `korichat: your session on 127.0.0.1:${cli.server.port} has expired or was ended elsewhere: run \`korichat login <user>\`\n`,
			});
			expect(JSON.parse(readFileSync(file, 'utf8')).sessions).toEqual({});

			await cli.loggedIn('josie');
			const again = JSON.parse(readFileSync(file, 'utf8'));
			again.sessions[`127.0.0.1:${cli.server.port}`].sessionId =
				'00000000-0000-4000-8000-000000000000';
			writeFileSync(file, JSON.stringify(again));
			const logout = await cli.korichat(['logout']);
			expect(logout).toMatchObject({
				code: 0,
				stdout: `the session on 127.0.0.1:${cli.server.port} had already ended\n`,
			});
		},
		manyCommands,
	);

	it('prints JSON with --json', async () => {
		const registered = await cli.korichat(['register', 'josie', '--name', 'Josie', '--json']);
		expect(JSON.parse(registered.stdout)).toEqual({ name: 'josie', displayName: 'Josie' });
		const login = await cli.korichat(['login', 'josie', '--json']);
		expect(JSON.parse(login.stdout)).toEqual({
			user: 'josie',
			server: `127.0.0.1:${cli.server.port}`,
		});
	});

	it(
		'exits 3 for a wrong password, 1 for a taken name, with the server words',
		async () => {
			await cli.korichat(['register', 'adrian']);
			const wrong = await cli.korichat(['login', 'adrian'], {
				env: { KORICHAT_PASSWORD: 'not it at all' },
			});
			expect(wrong).toMatchObject({ code: 3, stderr: 'korichat: wrong user name or password\n' });
			const taken = await cli.korichat(['register', 'adrian']);
			expect(taken).toMatchObject({
				code: 1,
				stderr: 'korichat: the name "adrian" is already taken\n',
			});
		},
		manyCommands,
	);

	it('never takes the password from the command line', async () => {
		const flag = await cli.korichat(['login', 'adrian', '--password', 'hunter2hunter2']);
		expect(flag.code).toBe(2);
		expect(flag.stderr).toMatch(/^korichat: unknown option '--password'/);
		const positional = await cli.korichat(['login', 'adrian', 'hunter2hunter2']);
		expect(positional.code).toBe(2);
		expect(positional.stderr).toMatch(/too many arguments/);
		const none = await cli.korichat(['login', 'adrian'], { env: { KORICHAT_PASSWORD: '' } });
		expect(none).toMatchObject({
			code: 2,
			stderr:
				'korichat: no password: set KORICHAT_PASSWORD, or run korichat in a terminal to be asked for it\n',
		});
	});

	it.runIf(existsSync('/proc/self/cmdline'))(
		'keeps the password out of the process arguments, where others could read it',
		async () => {
			await cli.korichat(['register', 'adrian']);
			// A server that never answers keeps the login running long enough to look at it.
			const silent = createServer((socket) => socket.resume());
			await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
			try {
				const port = (silent.address() as AddressInfo).port;
				const login = runCli(['login', 'adrian', '--server', `127.0.0.1:${port}`], {
					KORICHAT_CONFIG_DIR: cli.config.dir,
					KORICHAT_PASSWORD: password,
				});
				await new Promise((resolve) => setTimeout(resolve, 300));
				const argv = readFileSync(`/proc/${login.child.pid}/cmdline`, 'utf8').split('\0');
				expect(argv.join(' ')).toContain('login adrian');
				expect(argv.join(' ')).not.toContain(password);
				login.child.kill();
				await login.exited;
			} finally {
				await new Promise((resolve) => (silent as Server).close(resolve));
			}
		},
	);
});

describe('korichat facing the network', () => {
	it('exits 4 within 10 s when the server is unreachable', async () => {
		await cli.server.stop();
		const started = Date.now();
		const run = await cli.korichat(['register', 'adrian']);
		expect(run.code).toBe(4);
		expect(run.stderr).toBe(
			`korichat: cannot reach 127.0.0.1:${cli.server.port}: connection refused (is the server running?)\n`,
		);
		expect(Date.now() - started).toBeLessThan(10_000);
		cli.server = await startTestServer();
	});

	it('exits 4 within 10 s when the server accepts but never answers', async () => {
		const silent = createServer((socket) => socket.resume());
		await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
		try {
			const port = (silent.address() as AddressInfo).port;
			const started = Date.now();
			const run = await cli.korichat(['login', 'adrian', '--server', `127.0.0.1:${port}`], {
				server: false,
			});
			expect(run.code).toBe(4);
			expect(run.stderr).toMatch(/did not answer USE within/);
			expect(Date.now() - started).toBeLessThan(10_000);
		} finally {
			await new Promise((resolve) => silent.close(resolve));
		}
	});

	it('exits 2 for a malformed --server', async () => {
		const run = await cli.korichat(['users', '--server', 'localhost:http'], { server: false });
		expect(run).toMatchObject({ code: 2, stderr: expect.stringMatching(/is not a port/) });
	});
});

describe('korichat --help', () => {
	it('lists the scripting commands and the exit codes', async () => {
		const help = await cli.korichat(['--help'], { server: false });
		expect(help.code).toBe(0);
		for (const command of [
			'register',
			'login',
			'logout',
			'users',
			'groups',
			'send',
			'history',
			'edit',
			'delete',
			'search',
			'unread',
			'passwd',
			'group',
		]) {
			expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
		}
		expect(help.stdout).toMatch(
			/Exit codes:\n {2}0 {2}done\n {2}1 .*\n {2}2 {2}usage.*\n {2}3 {2}authentication.*\n {2}4 {2}network/,
		);
	});
});
