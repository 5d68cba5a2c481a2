export type BackoffOptions = {
	/** The delay ceiling of the first retry. */
	readonly initialDelayMs: number;
	readonly maxDelayMs: number;
	readonly multiplier: number;
};

export const defaultBackoff: BackoffOptions = {
	initialDelayMs: 500,
	maxDelayMs: 30_000,
	multiplier: 2,
};

/**
 * The wait before reconnect attempt `attempt` (0 for the first retry): exponential growth capped
 * at maxDelayMs, with "equal jitter" (half fixed, half random) so that clients dropped together
 * do not all return in the same instant, yet none retries in a hot loop.
 */
export function backoffDelay(
	attempt: number,
	options: BackoffOptions = defaultBackoff,
	random: () => number = Math.random,
): number {
	const exponent = Math.max(0, Math.floor(attempt));
	const ceiling = Math.min(
		options.maxDelayMs,
		options.initialDelayMs * options.multiplier ** Math.min(exponent, 64),
	);
	const half = ceiling / 2;
	return Math.round(half + random() * half);
}

/** Counts failed attempts; `reset` after a connection succeeds. */
export class ReconnectPolicy {
	#attempt = 0;

	constructor(
		readonly options: BackoffOptions = defaultBackoff,
		private readonly random: () => number = Math.random,
	) {}

	get attempt(): number {
		return this.#attempt;
	}

	nextDelay(): number {
		return backoffDelay(this.#attempt++, this.options, this.random);
	}

	reset(): void {
		this.#attempt = 0;
	}
}
