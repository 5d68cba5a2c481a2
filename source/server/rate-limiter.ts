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

	/** Takes a token if there is one and returns 0; else the milliseconds until there is one. */
	delayMs(): number {
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
		return Math.max(1, Math.ceil(((1 - this.#tokens) / this.rate) * 1000));
	}
}
