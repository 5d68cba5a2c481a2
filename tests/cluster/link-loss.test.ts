import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../helpers/postgres.js';
import { clusterServices } from './support/services.js';
import type { RawResponse } from '../helpers/raw-client.js';
import { redisUrlAt } from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { startCluster, type Cluster } from './support/cluster-nodes.js';

const pg = await clusterServices();

const redisPort = 6379;

/** A node must answer even while a link is down (503): waiting longer means it is stuck. */
const answerWithin = { timeoutMs: 10_000 };

/** Repeats `request` until it is answered with `status` (within ~10 s), and returns that answer. */
async function answeredWith(status: number, request: () => Promise<RawResponse>) {
	let answer = await request();
	for (let tries = 0; answer.status !== status && tries < 100; tries++) {
		await sleep(100);
		answer = await request();
	}
	expect(answer.status).toBe(status);
	return answer;
}
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
				const body = `m${accepted.length}`;
				const answer = await adrian.request('SEND', 'josie', {}, body, answerWithin);
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
		const refused = await answeredWith(503, () =>
			adrian.request('SEND', 'josie', {}, 'during', answerWithin),
		);
		expect(refused.json.error).toMatch(/database/);
		await answeredWith(503, () =>
			adrian.request('PING', undefined, {}, undefined, { cookie: false, ...answerWithin }),
		);

		await db.restore();
		await answeredWith(202, () =>
			adrian.request('SEND', 'josie', {}, 'after the outage', answerWithin),
		);
		const history = await adrian.request('HISTORY', 'josie');
		const bodies = history.json.messages.map((m: { body: string }) => m.body);
		expect(bodies[0]).toBe('before the outage');
		expect(bodies[bodies.length - 1]).toBe('after the outage');
	});
});
