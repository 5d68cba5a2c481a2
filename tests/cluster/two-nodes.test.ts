import { afterEach, beforeEach, expect, it } from 'vitest';
import { openRedisParts } from '../../source/cluster/open-redis-parts.js';
import { startServer, type RunningServer } from '../../source/server/chat-server.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { RawClient } from '../helpers/raw-client.js';
import { deleteKeys, describeRedis, redisUrl, testPrefix } from '../helpers/redis.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { testScrypt } from '../helpers/test-server.js';
import { silentLogger } from '../../source/domain/logger.js';

/**
 * Two servers on one Redis. They share one sql.js store in this process (a stand-in for the
 * PostgreSQL they would share), so what is tested here is only what goes through Redis.
 */
describeRedis('two nodes on one Redis', () => {
	let temp: TempDir;
	let store: SqlChatStore;
	let prefix: string;
	const servers: RunningServer[] = [];
	const clients: RawClient[] = [];

	const startNode = async () => {
		const parts = await openRedisParts(redisUrl, {
			prefix,
			log: silentLogger,
			throttleLimits: { limit: 3, windowMs: 60_000, clock: Date.now },
			leaseMs: 1500,
			heartbeatMs: 250,
		});
		const server = await startServer(
			{ host: '127.0.0.1', port: 0, rateLimit: 0, scrypt: testScrypt, log: silentLogger },
			// The store is shared: the test closes it, not each node.
			{
				store,
				bus: parts.bus,
				presence: parts.presence,
				throttle: parts.throttle,
				close: parts.close,
			},
		);
		servers.push(server);
		return server;
	};
	const connect = async (server: RunningServer, user?: string) => {
		const client = await RawClient.connect(server.port);
		clients.push(client);
		if (user) expect((await client.login(user)).status).toBe(200);
		return client;
	};

	beforeEach(async () => {
		prefix = testPrefix();
		temp = await makeTempDir();
		store = await openChatStore(temp.dir);
		const [a] = [await startNode(), await startNode()];
		const registrar = await connect(a);
		for (const user of ['adrian', 'josie']) {
			const response = await registrar.request('REG', user, { Password: 'correct horse' });
			expect(response.status).toBe(201);
		}
	});
	afterEach(async () => {
		await Promise.all(clients.splice(0).map((client) => client.close()));
		await Promise.all(servers.splice(0).map((server) => server.close()));
		await store.close();
		await temp.remove();
		await deleteKeys(prefix);
	});

	it('pushes a message and presence across nodes', async () => {
		const [a, b] = servers as [RunningServer, RunningServer];
		const adrian = await connect(b, 'adrian');
		const josie = await connect(a, 'josie');
		const online = await adrian.waitForPush((push) => push.kind === 'NOTIFY');
		expect(online.json).toEqual({ user: 'josie', online: true });
		const listed = await adrian.request('LIST_USER');
		expect(listed.json.details).toEqual([
			expect.objectContaining({ name: 'adrian', online: true }),
			expect.objectContaining({ name: 'josie', online: true }),
		]);
		expect((await josie.request('SEND', 'adrian', {}, 'hello from a')).status).toBe(202);
		const message = await adrian.waitForPush((push) => push.kind === 'MSG');
		expect(message.text).toBe('hello from a');
		await josie.close();
		const offline = await adrian.waitForPush((push) => push.kind === 'NOTIFY');
		expect(offline.json).toEqual({ user: 'josie', online: false });
	});

	it('announces a user with connections on both nodes once each way', async () => {
		const [a, b] = servers as [RunningServer, RunningServer];
		const adrian = await connect(a, 'adrian');
		const josieOnA = await connect(a, 'josie');
		const josieOnB = await connect(b, 'josie');
		await josieOnA.close();
		await new Promise((resolve) => setTimeout(resolve, 300));
		await josieOnB.close();
		await adrian.waitForPush((push) => push.kind === 'NOTIFY' && push.json.online === false);
		await new Promise((resolve) => setTimeout(resolve, 300));
		const notices = adrian.pushes.filter((push) => push.kind === 'NOTIFY');
		expect(notices.map((push) => push.json)).toEqual([{ user: 'josie', online: true }]);
	});

	// Fails today: ChatServer.close() closes the backend (and so presence) before its connections
	// unbind, so the registry's departs come too late to be announced. Drop `.fails` once fixed.
	it('announces the users of a node that shuts down offline on the others', async () => {
		const [a, b] = servers as [RunningServer, RunningServer];
		const adrian = await connect(b, 'adrian');
		await connect(a, 'josie');
		await adrian.waitForPush((push) => push.kind === 'NOTIFY' && push.json.online === true);
		await a.close();
		const offline = await adrian.waitForPush((push) => push.kind === 'NOTIFY', 2000);
		expect(offline.json).toEqual({ user: 'josie', online: false });
		expect((await adrian.request('LIST_USER')).json.details[1].online).toBe(false);
	});

	it('counts failed logins across nodes', async () => {
		const [a, b] = servers as [RunningServer, RunningServer];
		const onA = await connect(a);
		const onB = await connect(b);
		for (const client of [onA, onB, onA]) {
			expect((await client.login('josie', 'wrong password')).status).toBe(401);
		}
		const refused = await onB.login('josie');
		expect(refused.status).toBe(429);
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
	});
});
