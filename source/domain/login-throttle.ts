/**
 * Counts failed logins per user name in a sliding window. Unknown names count too, so the limit
 * reveals nothing about which accounts exist.
 */
export class LoginThrottle {
	readonly #failures = new Map<string, number[]>();

	constructor(
		readonly limit: number,
		readonly windowMs: number,
		readonly clock: () => number,
	) {}

	/** Seconds until the next attempt is allowed, or 0 when it is allowed now. */
	retryAfter(user: string): number {
		if (this.limit <= 0) return 0;
		const recent = this.#recent(user);
		if (recent.length < this.limit) return 0;
		const oldest = recent[recent.length - this.limit] ?? this.clock();
		return Math.max(1, Math.ceil((oldest + this.windowMs - this.clock()) / 1000));
	}

	recordFailure(user: string): void {
		const recent = this.#recent(user);
		recent.push(this.clock());
		this.#failures.set(user, recent);
		if (this.#failures.size > 10_000) this.#prune();
	}

	recordSuccess(user: string): void {
		this.#failures.delete(user);
	}

	#recent(user: string): number[] {
		const since = this.clock() - this.windowMs;
		return (this.#failures.get(user) ?? []).filter((time) => time > since);
	}

	// Bounds memory when someone sprays made-up names.
	#prune(): void {
		const since = this.clock() - this.windowMs;
		for (const [user, times] of this.#failures) {
			if (!times.some((time) => time > since)) this.#failures.delete(user);
		}
	}
}
