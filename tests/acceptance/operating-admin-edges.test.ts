import { afterEach, describe, expect, it } from 'vitest';
import { readFile, stat } from 'node:fs/promises';
import { RawClient } from '../helpers/raw-client.js';
import { runCli } from '../helpers/cli-process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, adminJson, sample, startServer, type RunningServer } from './operator.js';

// docs/operating.md "Accounts and groups", "How it reaches the data", "Logs" (flags), "Metrics".
const PASSWORD = 'edges-pass-1';

describe('korichat admin, more of what the docs promise (acceptance)', () => {
	let temp: TempDir;
	const servers: RunningServer[] = [];
	const clients: RawClient[] = [];
	afterEach(async () => {
		for (const client of clients.splice(0)) await client.close();
		for (const server of servers.splice(0)) await server.kill();
		await temp?.remove();
	});
	async function client(port: number, user?: string): Promise<RawClient> {
		const connection = await RawClient.connect(port);
		clients.push(connection);
		if (user) expect((await connection.login(user, PASSWORD)).status).toBe(200);
		return connection;
	}

	it('disable logs out every connection of the user, says how many sessions ended, and the socket is owner-only', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const server = await startServer(data);
		servers.push(server);
		const anonymous = await client(server.port);
		for (const user of ['ann', 'mal'])
			expect((await anonymous.request('REG', user, { Password: PASSWORD })).status).toBe(201);
		const ann = await client(server.port, 'ann');
		const devices = [await client(server.port, 'mal'), await client(server.port, 'mal')];
		expect((await stat(`${data}/control.sock`)).mode & 0o777).toBe(0o600);

		const disabled = await admin(['disable', 'mal', '--data', data]);
		expect(disabled.code, disabled.stderr).toBe(0);
		expect(disabled.stdout).toMatch(/ended 2 sessions/);
		expect((await ann.request('SEND', 'mal', {}, 'to mal')).status).toBe(202);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		for (const device of devices) {
			expect(device.pushes.filter((push) => push.kind === 'MSG')).toEqual([]);
			expect((await device.request('PING')).status).toBe(401);
		}
		expect(await adminJson(['sessions', 'mal', '--data', data])).toEqual([]);
	});

	it('stats: queue depth, connections and logged-in users match the chat; metrics gauges agree', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const server = await startServer(data, ['--metrics', '127.0.0.1:0']);
		servers.push(server);
		const anonymous = await client(server.port);
		for (const user of ['qa', 'qb'])
			expect((await anonymous.request('REG', user, { Password: PASSWORD })).status).toBe(201);
		const qa = await client(server.port, 'qa');
		const ids: string[] = [];
		for (let i = 0; i < 3; i++)
			ids.push((await qa.request('SEND', 'qb', {}, `q ${i}`)).headers.get('message-id')!);
		const stats = await adminJson(['stats', '--data', data]);
		expect(stats).toMatchObject({
			users: 2,
			messages: 3,
			queueDepth: 6, // PROTOCOL §7.1: each DM is queued for qb and for qa's other devices
			connections: 2,
			loggedInUsers: 1,
		});

		const qb = await client(server.port, 'qb');
		await qb.waitForPush((push) => push.kind === 'MSG' && push.text === 'q 2');
		expect((await qb.request('ACK', ids[2])).status).toBe(200);
		const later = await adminJson(['stats', '--data', data]);
		expect(later).toMatchObject({ queueDepth: 3, connections: 3, loggedInUsers: 2 });
		expect((await qa.request('ACK', ids[2])).status).toBe(200);
		expect(await adminJson(['stats', '--data', data])).toMatchObject({ queueDepth: 0 });
		const metrics = await (await fetch(server.metricsUrl!)).text();
		expect(sample(metrics, 'korichat_connections')).toBe(3);
		expect(sample(metrics, 'korichat_logged_in_users')).toBe(2);
		expect(sample(metrics, 'korichat_deliveries_total')).toBe(3);
	});

	it('on a stopped folder admin works directly, logs to DATA/server.log, and the server honours it', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const first = await startServer(data);
		const anonymous = await RawClient.connect(first.port);
		expect((await anonymous.request('REG', 'offline', { Password: PASSWORD })).status).toBe(201);
		await anonymous.close();
		expect(await first.stop()).toBe(0);

		const disabled = await admin(['disable', 'offline', '--data', data]);
		expect(disabled.code, disabled.stderr).toBe(0);
		const created = await admin(['create-user', 'made', '--data', data], {
			KORICHAT_PASSWORD: PASSWORD,
		});
		expect(created.code, created.stderr).toBe(0);
		const log = await readFile(`${data}/server.log`, 'utf8');
		expect(log).toMatch(/"action":"disable"/);
		expect(log).not.toContain(PASSWORD);

		const server = await startServer(data);
		servers.push(server);
		expect((await (await client(server.port)).login('offline', PASSWORD)).status).toBe(403);
		await client(server.port, 'made');
	});

	it('a server that holds the folder but does not answer its socket: admin exits 4 in one line', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const server = await startServer(data);
		servers.push(server);
		server.process.child.kill('SIGSTOP');
		try {
			const result = await admin(['users', '--data', data]);
			expect(result.code).toBe(4);
			expect(result.stderr.trim().split('\n')).toHaveLength(1);
		} finally {
			server.process.child.kill('SIGCONT');
		}
	}, 40_000);

	// docs/operating.md "Logs > Flags": "Any other value is refused in one line before the server starts."
	it.each([
		['--log-level', 'loud'],
		['--log-format', 'fancy'],
	])('%s %s is refused in one line', async (flag, value) => {
		temp = await makeTempDir();
		const run = runCli([
			'--serve',
			'--headless',
			'--port',
			'0',
			'--data',
			`${temp.dir}/data`,
			flag,
			value,
		]);
		expect(await run.exited).not.toBe(0);
		expect(run.stderr().trim().split('\n')).toHaveLength(1);
	});
});
