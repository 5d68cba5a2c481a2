import { randomUUID } from 'node:crypto';
import { describe, inject, it } from 'vitest';
import {
	connectRedis,
	closeRedis,
	type RedisConnection,
} from '../../source/cluster/redis-connection.js';
import { redisHost, redisPort } from './redis-global-setup.js';
import { silentLogger, type Logger } from '../../source/domain/logger.js';

export { redisPort };
export const redisUrl = `redis://${redisHost}:${redisPort}`;

/** The URL of the same Redis through a relay on `port` (to cut the link on purpose). */
export const redisUrlAt = (port: number) => `redis://127.0.0.1:${port}`;

/**
 * A suite that needs the shared Redis. Without one it is skipped (the run says so once), except
 * with CI=true, where it fails: CI must not pass by testing nothing.
 */
export function describeRedis(name: string, body: () => void): void {
	if (inject('redisReachable')) {
		describe(name, body);
	} else if (process.env.CI === 'true') {
		describe(name, () => {
			it('needs Redis', () => {
				throw new Error(`CI=true but Redis at ${redisHost}:${redisPort} is unreachable`);
			});
		});
	} else {
		describe.skip(name, body);
	}
}

/**
 * A key prefix no other suite uses: tests share one Redis server with suites running in
 * parallel, so they never flush it; they delete their own keys.
 */
export function testPrefix(): string {
	return `korichat-test:${randomUUID()}:`;
}

export function connectForTest(url = redisUrl, log: Logger = silentLogger) {
	return connectRedis(url, { role: 'test', log, timeoutMs: 3000 });
}

/** Deletes every key under `prefix`. */
export async function deleteKeys(prefix: string): Promise<void> {
	const client = await connectForTest();
	try {
		const keys: string[] = [];
		for await (const batch of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
			keys.push(...batch);
		}
		if (keys.length > 0) await client.del(keys);
	} finally {
		await closeRedis(client);
	}
}

/** Opens connections and closes every one of them in `closeAll`. */
export class Connections {
	readonly #open: RedisConnection[] = [];

	async open(url = redisUrl, log?: Logger): Promise<RedisConnection> {
		const client = await connectForTest(url, log);
		this.#open.push(client);
		return client;
	}

	async closeAll(): Promise<void> {
		await Promise.all(this.#open.splice(0).map((client) => closeRedis(client)));
	}
}
