import { createServer, type AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openRedisParts, type RedisParts } from '../../source/cluster/open-redis-parts.js';
import {
	Connections,
	deleteKeys,
	describeRedis,
	redisUrl,
	redisUrlAt,
	testPrefix,
	redisPort,
} from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';
import { silentLogger } from '../../source/domain/logger.js';
import { captureLog } from '../helpers/log-capture.js';

const throttleLimits = { limit: 5, windowMs: 60_000, clock: Date.now };

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

describeRedis('openRedisParts', () => {
	const opened: RedisParts[] = [];
	const connections = new Connections();
	let prefix = testPrefix();
	beforeEach(() => {
		prefix = testPrefix();
	});
	afterEach(async () => {
		await Promise.all(opened.splice(0).map((parts) => parts.close()));
		await connections.closeAll();
		await deleteKeys(prefix);
	});

	it('connects a node: its presence is live, its bus starts, close removes its entries', async () => {
		const parts = await openRedisParts(redisUrl, { prefix, log: silentLogger, throttleLimits });
		const events: unknown[] = [];
		await parts.bus.start({ event: (event) => events.push(event), resync: () => undefined });
		expect(await parts.presence.arrive('josie')).toBe(true);
		await parts.throttle.recordFailure('josie');
		expect(await parts.throttle.retryAfter('josie')).toBe(0);
		const client = await connections.open();
		expect(await client.sIsMember(`${prefix}online`, 'josie')).toBe(1);
		await parts.close();
		expect(await client.sIsMember(`${prefix}online`, 'josie')).toBe(0);
		expect(await client.zScore(`${prefix}leases`, parts.presence.nodeId)).toBeNull();
	});

	it('rejects within the timeout, naming host:port and why, when nothing listens there', async () => {
		const port = await closedPort();
		const started = Date.now();
		const { log, messages: logs } = captureLog();
		const opening = openRedisParts(redisUrlAt(port), {
			prefix,
			log,
			throttleLimits,
			connectTimeoutMs: 1500,
		});
		await expect(opening).rejects.toThrow(
			`cannot reach Redis at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`,
		);
		expect(Date.now() - started).toBeLessThan(3000);
		expect(logs).toEqual([]);
	});

	it('waits up to 5 s by default', async () => {
		const port = await closedPort();
		const started = Date.now();
		await expect(
			openRedisParts(redisUrlAt(port), { prefix, log: silentLogger, throttleLimits }),
		).rejects.toThrow(/cannot reach Redis/);
		expect(Date.now() - started).toBeGreaterThan(4500);
		expect(Date.now() - started).toBeLessThan(6500);
	});

	it('gives up within the timeout when Redis never answers', async () => {
		const relay = await TcpRelay.start(redisPort);
		relay.blackHole();
		try {
			const started = Date.now();
			const opening = openRedisParts(redisUrlAt(relay.port), {
				prefix,
				log: silentLogger,
				throttleLimits,
				connectTimeoutMs: 1000,
			});
			await expect(opening).rejects.toThrow(
				new RegExp(`^cannot reach Redis at 127\\.0\\.0\\.1:${relay.port}: `),
			);
			expect(Date.now() - started).toBeLessThan(3000);
		} finally {
			await relay.close();
		}
	});
});
