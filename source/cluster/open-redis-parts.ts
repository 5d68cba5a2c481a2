import type { Logger } from '../domain/logger.js';
import type { ThrottleLimits } from '../domain/login-throttle.js';
import { RedisBus } from './redis-bus.js';
import { closeRedis, connectRedis, type RedisConnection } from './redis-connection.js';
import { RedisLoginThrottle } from './redis-login-throttle.js';
import { RedisPresence } from './redis-presence.js';

export type RedisPartsOptions = {
	/** Starts every key and channel, e.g. `korichat:`; nodes of one chat share it. */
	readonly prefix: string;
	readonly log: Logger;
	readonly throttleLimits: ThrottleLimits;
	/** Presence lease (default 15 s) and its renewal interval (default 5 s). */
	readonly leaseMs?: number;
	readonly heartbeatMs?: number;
	/** How long connecting may take before it fails (default 5 s). */
	readonly connectTimeoutMs?: number;
};

export type RedisParts = {
	/** Not started: the server's registry starts it. */
	readonly bus: RedisBus;
	/** Started: its lease is held and renewed. */
	readonly presence: RedisPresence;
	readonly throttle: RedisLoginThrottle;
	/** Removes this node's presence, then closes every connection. */
	close(): Promise<void>;
};

/**
 * Connects a node to the cluster's Redis: a publisher, a subscriber and a command connection.
 * An unreachable Redis rejects within `connectTimeoutMs` with one error naming host:port.
 */
export async function openRedisParts(url: string, options: RedisPartsOptions): Promise<RedisParts> {
	const connect = (role: string) =>
		connectRedis(url, { role, log: options.log, timeoutMs: options.connectTimeoutMs });
	const attempts = await Promise.allSettled([
		connect('bus-publisher'),
		connect('bus-subscriber'),
		connect('commands'),
	]);
	const connected = attempts.flatMap((attempt) =>
		attempt.status === 'fulfilled' ? [attempt.value] : [],
	);
	const failed = attempts.find((attempt) => attempt.status === 'rejected');
	if (failed) {
		await Promise.all(connected.map((client) => closeRedis(client)));
		throw failed.reason;
	}
	const [publisher, subscriber, commands] = connected as [
		RedisConnection,
		RedisConnection,
		RedisConnection,
	];
	const { prefix, log } = options;
	const bus = new RedisBus({ publisher, subscriber, prefix, log });
	const presence = new RedisPresence({
		client: commands,
		prefix,
		log,
		leaseMs: options.leaseMs,
		heartbeatMs: options.heartbeatMs,
	});
	const throttle = new RedisLoginThrottle({
		client: commands,
		prefix,
		limits: options.throttleLimits,
	});
	try {
		await presence.start();
	} catch (error) {
		await Promise.all([bus.close(), closeRedis(commands)]);
		throw new Error(`Redis answered but presence could not start: ${String(error)}`);
	}
	return {
		bus,
		presence,
		throttle,
		async close() {
			await presence.close();
			await bus.close();
			await closeRedis(commands);
		},
	};
}
