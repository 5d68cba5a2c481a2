/** A token bucket: `rate` tokens a second, holding at most `burst`. */
export class RateLimiter {
	#tokens: number;
	#updatedAt: number;

	constructor(
		readonly rate: number,
		readonly burst: number,
		readonly clock: () => number,
	) {
		this.#tokens = burst;
		this.#updatedAt = clock();
	}

	/** Takes a token; returns 0 when allowed, else the whole seconds to wait. */
	take(): number {
		if (this.rate <= 0) return 0;
		const now = this.clock();
		this.#tokens = Math.min(
			this.burst,
			this.#tokens + ((now - this.#updatedAt) / 1000) * this.rate,
		);
		this.#updatedAt = now;
		if (this.#tokens >= 1) {
			this.#tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - this.#tokens) / this.rate));
	}

	/** Milliseconds until take() would succeed again (0 when it would now). */
	msUntilToken(): number {
		if (this.rate <= 0) return 0;
		const elapsed = this.clock() - this.#updatedAt;
		const tokens = this.#tokens + (elapsed / 1000) * this.rate;
		return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.rate) * 1000);
	}
}
