import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { RawClient } from '../helpers/raw-client.js';
import { redisUrl } from '../helpers/redis.js';
import { clusterServices } from '../cluster/support/services.js';
import { admin, adminOk, stop } from './support/admin-process.js';

const services = await clusterServices();
const password = 'correct horse';

describe.skipIf(!services.available)(
	'korichat admin --store on PostgreSQL',
	{ timeout: 60_000 },
	() => {
		let database: TestDatabase;
		let node: CliProcess;
		let port: number;
		beforeAll(async () => {
			database = await services.createDatabase();
			node = runCli(
				['--serve', '--headless', '--port', '0', '--store', database.url, '--bus', redisUrl],
				{ KORICHAT_STORE: '', KORICHAT_BUS: '' },
			);
			port = await node.listening;
		}, 30_000);
		afterAll(async () => {
			if (node) await stop(node, 'SIGKILL');
			await database?.drop();
		});

		it('disables a user on a running node: its connection is logged out and USE gets 403', async () => {
			const josie = await RawClient.connect(port);
			const mika = await RawClient.connect(port);
			try {
				for (const [client, name] of [
					[josie, 'josie'],
					[mika, 'mika'],
				] as const) {
					expect((await client.request('REG', name, { Password: password })).status).toBe(201);
					expect((await client.login(name, password)).status).toBe(200);
				}
				const store = ['--store', database.url];
				const users = await adminOk(['users', ...store, '--json']);
				expect(users.json.map((user: any) => user.name)).toEqual(['josie', 'mika']);

				const disabled = await adminOk(['disable', 'josie', ...store, '--bus', redisUrl]);
				expect(disabled.stdout).toBe('disabled josie; ended 1 session\n');
				// No server log on a cluster's database: the action is logged on the command's stderr.
				expect(JSON.parse(disabled.stderr)).toMatchObject({
					event: 'admin',
					action: 'disable',
					user: 'josie',
				});
				expect((await mika.request('SEND', 'josie', {}, 'hello?')).status).toBe(202);
				await expect(josie.waitForPush((push) => push.kind === 'MSG', 800)).rejects.toThrow(
					'no matching push',
				);
				expect((await josie.request('LIST_USER')).status).toBe(401);
				expect((await josie.login('josie', password)).status).toBe(403);

				const stats = await adminOk(['stats', ...store, '--json']);
				expect(stats.json).toMatchObject({ users: 2, messages: 1, journalBytes: null });
				expect(stats.json.databaseBytes).toBeGreaterThan(0);

				await adminOk(['enable', 'josie', ...store]);
				expect((await josie.login('josie', password)).status).toBe(200);
				// Without --bus the change is made, and the note says what it cannot reach.
				const busless = await adminOk(['disable', 'josie', ...store]);
				expect(busless.stdout).toMatch(/ended 1 session\n\(no --bus: .*hourly session check\)\n$/);
				const unknown = await admin(['disable', 'nobody', ...store]);
				expect(unknown.code).toBe(1);
			} finally {
				await josie.close();
				await mika.close();
			}
		});
	},
);
