import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/postgres.js';
import { clusterServices } from './support/services.js';
import { redisUrlAt } from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { startCluster, type Cluster } from './support/cluster-nodes.js';

const pg = await clusterServices();

const redisPort = 6379;
const postgresPort = 5432;

describe.skipIf(!pg.available)('a cluster that loses Redis or PostgreSQL while it runs', () => {
	let database: TestDatabase;
	let cluster: Cluster | undefined;
	const relays: TcpRelay[] = [];
	beforeEach(async () => {
		database = await pg.createDatabase();
	});
	afterEach(async () => {
		await cluster?.stop();
		cluster = undefined;
		await Promise.all(relays.splice(0).map((relay) => relay.close()));
		await database.drop();
	});
	const relay = async (port: number) => {
		const made = await TcpRelay.start(port);
		relays.push(made);
		return made;
	};

	it('loses no message while Redis is away, and delivers everything within seconds', async () => {
		const bus = await relay(redisPort);
		cluster = await startCluster({
			storeUrl: database.url,
			busUrl: redisUrlAt(bus.port),
			nodes: 2,
		});
		await cluster.register(0, 'josie');
		await cluster.register(0, 'adrian');
		const josie = await cluster.login(0, 'josie');
		const adrian = await cluster.login(1, 'adrian');
		const accepted: number[] = [];
		const send = async (n: number) => {
			for (let i = 0; i < n; i++) {
				const answer = await adrian.request('SEND', 'josie', {}, `m${accepted.length}`);
				expect(answer.status).toBe(202);
				accepted.push(Number(answer.headers.get('message-id')));
				await sleep(10);
			}
		};
		await send(20);
		await bus.cut();
		await send(40); // the store takes every SEND while the bus is down
		await bus.restore();
		const restoredAt = Date.now();
		await send(20);
		const got = () =>
			new Set(
				josie.pushes
					.filter((p) => p.kind === 'MSG')
					.map((p) => Number(p.headers.get('message-id'))),
			);
		while (got().size < accepted.length && Date.now() - restoredAt < 10_000) await sleep(50);
		expect([...got()].sort((a, b) => a - b)).toEqual(accepted);
		const ids = josie.pushes
			.filter((p) => p.kind === 'MSG')
			.map((p) => Number(p.headers.get('message-id')));
		expect(ids).toEqual([...ids].sort((a, b) => a - b));
	});

	it('answers 503 while PostgreSQL is out of reach, then carries on with nothing lost', async () => {
		const db = await relay(postgresPort);
		const url = new URL(database.url);
		url.port = String(db.port);
		cluster = await startCluster({
			storeUrl: url.toString(),
			busUrl: redisUrlAt(redisPort),
			nodes: 1,
		});
		await cluster.register(0, 'josie');
		await cluster.register(0, 'adrian');
		const adrian = await cluster.login(0, 'adrian');
		const before = await adrian.request('SEND', 'josie', {}, 'before the outage');
		expect(before.status).toBe(202);

		await db.cut();
		let refused;
		for (let i = 0; i < 50; i++) {
			refused = await adrian.request('SEND', 'josie', {}, 'during');
			if (refused.status === 503) break;
			await sleep(100);
		}
		expect(refused?.status).toBe(503);
		expect(refused?.json.error).toMatch(/database/);
		let ping;
		for (let i = 0; i < 50; i++) {
			ping = await adrian.request('PING', undefined, {}, undefined, { cookie: false });
			if (ping.status === 503) break;
			await sleep(100);
		}
		expect(ping?.status).toBe(503);

		await db.restore();
		let after;
		for (let i = 0; i < 100; i++) {
			after = await adrian.request('SEND', 'josie', {}, 'after the outage');
			if (after.status === 202) break;
			await sleep(100);
		}
		expect(after?.status).toBe(202);
		const history = await adrian.request('HISTORY', 'josie');
		const bodies = history.json.messages.map((m: { body: string }) => m.body);
		expect(bodies[0]).toBe('before the outage');
		expect(bodies[bodies.length - 1]).toBe('after the outage');
	});
});
