import { afterEach, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { runCli } from '../helpers/cli-process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startServer, type RunningServer } from './operator.js';

// README "Running a server": a second server on the folder is refused with
// `korichat: DIR is in use by another KoriChat server (pid N); stop it first` and exit 1;
// a lock left by a kill -9 never blocks a restart.
describe('one server per data folder (acceptance)', () => {
	let temp: TempDir;
	const servers: RunningServer[] = [];
	afterEach(async () => {
		for (const server of servers.splice(0)) await server.kill();
		await temp?.remove();
	});

	it('refuses a second server in one line naming the holder, and a SIGKILLed holder never blocks a restart', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		const first = await startServer(data);
		servers.push(first);
		const pid = first.process.child.pid!;

		const second = runCli(['--serve', '--headless', '--port', '0', '--data', data]);
		const code = await second.exited;
		expect(code).not.toBe(0);
		expect(second.stdout()).not.toMatch(/listening/);
		const lines = second.stderr().trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(`pid ${pid}`);
		expect(lines[0]).toContain(data);

		// The first still serves: a write through it is acknowledged.
		const client = await RawClient.connect(first.port);
		expect((await client.request('REG', 'alice', { Password: 'correct horse' })).status).toBe(201);
		await client.close();

		expect(await first.kill()).toBe(null);
		const restarted = await startServer(data);
		servers.push(restarted);
		const again = await RawClient.connect(restarted.port);
		expect((await again.login('alice')).status).toBe(200);
		await again.close();
	});
});
