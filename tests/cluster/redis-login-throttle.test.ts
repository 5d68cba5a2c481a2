import { afterEach, beforeEach, expect, it } from 'vitest';
import { RedisLoginThrottle } from '../../source/cluster/redis-login-throttle.js';
import { StorageUnavailableError } from '../../source/domain/storage-errors.js';
import { describeLoginThrottle } from '../contracts/login-throttle.contract.js';
import {
	Connections,
	deleteKeys,
	describeRedis,
	redisUrlAt,
	testPrefix,
	redisPort,
} from '../helpers/redis.js';
import { TcpRelay } from '../helpers/tcp-relay.js';

describeRedis('RedisLoginThrottle', () => {
	const connections = new Connections();
	const relays: TcpRelay[] = [];
	let prefix = testPrefix();

	beforeEach(() => {
		prefix = testPrefix();
	});
	afterEach(async () => {
		await connections.closeAll();
		await Promise.all(relays.splice(0).map((relay) => relay.close()));
		await deleteKeys(prefix);
	});

	describeLoginThrottle(
		'redis',
		async (limits) => {
			const client = await connections.open();
			return {
				throttle: new RedisLoginThrottle({ client, prefix, limits }),
				close: async () => {},
			};
		},
		{ spansNodes: true },
	);

	it('keeps only the newest failures that matter, under a key that expires', async () => {
		const client = await connections.open();
		let now = 5_000_000;
		const throttle = new RedisLoginThrottle({
			client,
			prefix,
			limits: { limit: 3, windowMs: 60_000, clock: () => now },
		});
		for (let i = 0; i < 50; i++) {
			await throttle.recordFailure('josie');
			now += 100;
		}
		const key = `${prefix}login-failures:josie`;
		expect(await client.zCard(key)).toBe(3);
		const ttl = await client.pTTL(key);
		expect(ttl).toBeGreaterThan(55_000);
		expect(ttl).toBeLessThanOrEqual(61_000);
		// The third newest failure was at 5_004_700: the wait runs from it.
		expect(await throttle.retryAfter('josie')).toBe(60);
	});

	it('answers StorageUnavailableError while Redis cannot be reached', async () => {
		const relay = await TcpRelay.start(redisPort);
		relays.push(relay);
		const client = await connections.open(redisUrlAt(relay.port));
		const throttle = new RedisLoginThrottle({
			client,
			prefix,
			limits: { limit: 5, windowMs: 60_000, clock: Date.now },
		});
		await relay.cut();
		await expect(throttle.retryAfter('josie')).rejects.toBeInstanceOf(StorageUnavailableError);
		await expect(throttle.recordFailure('josie')).rejects.toThrow(
			/failed logins cannot be counted: Redis is unreachable/,
		);
		await expect(throttle.recordSuccess('josie')).rejects.toBeInstanceOf(StorageUnavailableError);
	});
});
