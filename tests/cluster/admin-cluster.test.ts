import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AdminService } from '../../source/domain/admin.js';
import { silentLogger } from '../../source/domain/logger.js';
import type { RunningServer } from '../../source/server/chat-server.js';
import { isMessage, pushesWithin, send } from '../helpers/conversation-steps.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { redisUrl } from '../helpers/redis.js';
import { testScrypt } from '../helpers/test-server.js';
import { startCluster, type Cluster } from './support/cluster-nodes.js';
import { clusterServices } from './support/services.js';

const pg = await clusterServices();

const adminOn = ({ store, bus }: RunningServer) =>
	new AdminService({ store, bus, clock: Date.now, scrypt: testScrypt, logger: silentLogger });

describe.skipIf(!pg.available)('korichat admin on a cluster (PostgreSQL + Redis)', () => {
	let database: TestDatabase;
	let cluster: Cluster;
	beforeEach(async () => {
		database = await pg.createDatabase();
		cluster = await startCluster({ storeUrl: database.url, busUrl: redisUrl, nodes: 2 });
		await cluster.register(0, 'adrian');
		await cluster.register(1, 'josie');
	});
	afterEach(async () => {
		await cluster.stop();
		await database.drop();
	});

	it('disabling on one node logs out the user on the other; USE there gets 403; enable lets in', async () => {
		const adrian = await cluster.login(1, 'adrian');
		const josie = await cluster.login(1, 'josie');
		await send(josie, 'adrian', 'before');
		await adrian.waitForPush(isMessage('before'));

		expect(await adminOn(cluster.servers[0]!).disable('adrian')).toEqual({ endedSessions: 1 });
		await send(josie, 'adrian', 'while disabled');
		expect(await pushesWithin(adrian, isMessage('while disabled'), 500)).toEqual([]);
		// Unbound by the bus's session-ended, not only refused by the store: no cookie needed.
		const unbound = await adrian.request('LIST_USER', undefined, {}, undefined, { cookie: false });
		expect(unbound.status).toBe(401);
		expect((await adrian.request('LIST_USER')).status).toBe(401);
		for (const node of [0, 1]) {
			const refused = await (await cluster.connect(node)).login('adrian');
			expect(refused.status).toBe(403);
			expect(refused.text).toContain('this account is disabled');
		}

		await adminOn(cluster.servers[1]!).enable('adrian');
		const back = await cluster.login(0, 'adrian');
		await back.waitForPush(isMessage('while disabled'));
	});

	it('reset-password on one node logs out the session on the other', async () => {
		const adrian = await cluster.login(1, 'adrian');
		const josie = await cluster.login(0, 'josie');
		expect(await adminOn(cluster.servers[0]!).resetPassword('adrian', 'battery staple')).toEqual({
			endedSessions: 1,
		});
		await send(josie, 'adrian', 'after the reset');
		expect(await pushesWithin(adrian, isMessage('after the reset'), 500)).toEqual([]);
		expect((await adrian.request('LIST_USER')).status).toBe(401);
		expect((await (await cluster.connect(1)).login('adrian', 'battery staple')).status).toBe(200);
	});
});
