/** Nearest-rank percentile of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/** One figure over repeated runs: the median and the bad tail (p99 of a time, p1 of a rate). */
export type Figure = {
	readonly median: number;
	readonly tail: number;
	readonly runs: number;
	readonly samples: number[];
};

/** Summarises run results; `higherIsBetter` picks the low tail (p1) for rates, else p99. */
export function summarise(samples: readonly number[], higherIsBetter: boolean): Figure {
	return {
		median: median(samples),
		tail: percentile(samples, higherIsBetter ? 1 : 99),
		runs: samples.length,
		samples: [...samples],
	};
}

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
