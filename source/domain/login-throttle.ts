import { DomainError } from './errors.js';

/**
 * Counts failed logins per user name in a sliding window. Unknown names count too, so the limit
 * reveals nothing about which accounts exist. Asynchronous so that a cluster can count in one
 * place for every node.
 */
export interface LoginThrottle {
	/** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
	retryAfter(user: string): Promise<number>;
	recordFailure(user: string): Promise<void>;
	recordSuccess(user: string): Promise<void>;
}

/**
 * Refuses (429 with Retry-After) while the user must wait after too many failed attempts;
 * `attempts` names them in the error ("failed logins").
 */
export async function refuseWhileThrottled(
	throttle: LoginThrottle,
	user: string,
	attempts: string,
): Promise<void> {
	const wait = await throttle.retryAfter(user);
	if (wait > 0) {
		throw new DomainError(
			'too-many-requests',
			`too many ${attempts} for "${user}"; try again in ${wait} s`,
			wait,
		);
	}
}

export type ThrottleLimits = {
	/** Failures allowed per window; 0 turns the limit off. */
	readonly limit: number;
	readonly windowMs: number;
	readonly clock: () => number;
};

/** Seconds to wait, given the failure times within the window, oldest first. */
export function secondsToWait(recent: readonly number[], limits: ThrottleLimits): number {
	if (limits.limit <= 0 || recent.length < limits.limit) return 0;
	const oldest = recent[recent.length - limits.limit] ?? limits.clock();
	return Math.max(1, Math.ceil((oldest + limits.windowMs - limits.clock()) / 1000));
}

/** One node's count, in memory. */
export class InMemoryLoginThrottle implements LoginThrottle {
	readonly #failures = new Map<string, number[]>();

	constructor(readonly limits: ThrottleLimits) {}

	async retryAfter(user: string): Promise<number> {
		return secondsToWait(this.#recent(user), this.limits);
	}

	async recordFailure(user: string): Promise<void> {
		const recent = this.#recent(user);
		recent.push(this.limits.clock());
		this.#failures.set(user, recent);
		if (this.#failures.size > 10_000) this.#prune();
	}

	async recordSuccess(user: string): Promise<void> {
		this.#failures.delete(user);
	}

	#recent(user: string): number[] {
		const since = this.limits.clock() - this.limits.windowMs;
		return (this.#failures.get(user) ?? []).filter((time) => time > since);
	}

	// Bounds memory when someone sprays made-up names.
	#prune(): void {
		const since = this.limits.clock() - this.limits.windowMs;
		for (const [user, times] of this.#failures) {
			if (!times.some((time) => time > since)) this.#failures.delete(user);
		}
	}
}
