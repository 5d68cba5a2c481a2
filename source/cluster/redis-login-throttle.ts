import { randomBytes } from 'node:crypto';
import {
	secondsToWait,
	type LoginThrottle,
	type ThrottleLimits,
} from '../domain/login-throttle.js';
import { StorageUnavailableError } from '../domain/storage-errors.js';
import { reasonOf, type RedisConnection } from './redis-connection.js';

export type RedisLoginThrottleOptions = {
	/** A command connection (not a subscriber); the throttle never closes it. */
	readonly client: RedisConnection;
	readonly prefix: string;
	readonly limits: ThrottleLimits;
};

/**
 * Failed logins per user name, counted in Redis for every node: a sorted set per name whose
 * scores are failure times, trimmed to the window and to the newest `limit` entries, which
 * expires with the window. When Redis cannot be reached it throws StorageUnavailableError (503):
 * letting logins through unthrottled would open the door the limit exists to close.
 */
export class RedisLoginThrottle implements LoginThrottle {
	readonly limits: ThrottleLimits;
	readonly #client: RedisConnection;
	readonly #prefix: string;

	constructor(options: RedisLoginThrottleOptions) {
		this.#client = options.client;
		this.#prefix = options.prefix;
		this.limits = options.limits;
	}

	async retryAfter(user: string): Promise<number> {
		const { limit, windowMs, clock } = this.limits;
		if (limit <= 0) return 0;
		const now = clock();
		const recent = await this.#run(() =>
			this.#client.zRangeWithScores(this.#key(user), '+inf', `(${now - windowMs}`, {
				BY: 'SCORE',
				REV: true,
				LIMIT: { offset: 0, count: limit },
			}),
		);
		return secondsToWait(recent.map((entry) => entry.score).reverse(), this.limits);
	}

	async recordFailure(user: string): Promise<void> {
		const { limit, windowMs, clock } = this.limits;
		if (limit <= 0) return;
		const now = clock();
		const key = this.#key(user);
		// Two nodes may fail the same name in the same millisecond: members must differ.
		const member = `${now}:${randomBytes(6).toString('hex')}`;
		await this.#run(() =>
			this.#client
				.multi()
				.zAdd(key, { score: now, value: member })
				.zRemRangeByScore(key, '-inf', now - windowMs)
				.zRemRangeByRank(key, 0, -(limit + 1))
				.pExpire(key, windowMs + 1000)
				.exec(),
		);
	}

	async recordSuccess(user: string): Promise<void> {
		await this.#run(() => this.#client.del(this.#key(user)));
	}

	#key(user: string): string {
		return `${this.#prefix}login-failures:${user}`;
	}

	async #run<T>(command: () => Promise<T>): Promise<T> {
		try {
			return await command();
		} catch (error) {
			throw new StorageUnavailableError(
				`failed logins cannot be counted: Redis is unreachable (${reasonOf(error)})`,
			);
		}
	}
}
