import type { Row } from './lib/report.js';
import { formatNumber } from './lib/report.js';
import { percentile } from './lib/stats.js';
import { searchKinds } from './lib/search-plan.js';
import type { SearchResults } from './suites/search-suite.js';

/** The target of §7.6's search, per request over TCP. */
export const searchP99TargetMs = 20;

/**
 * One row per query kind: median and p99 of every timed request (all runs pooled), the target
 * p99 < 20 ms, and in the note the p95, the spread of the per-run p99s and the mean hits.
 */
export function searchRows(search: SearchResults): Row[] {
	return searchKinds.map((kind) => {
		const { latenciesMs, meanHits } = search.kinds[kind];
		const all = latenciesMs.flat();
		const p99 = percentile(all, 99);
		const perRun = latenciesMs.map((run) => percentile(run, 99));
		const note = [
			`p95 ${formatNumber(percentile(all, 95))} ms`,
			`per-run p99 ${formatNumber(Math.min(...perRun))}–${formatNumber(Math.max(...perRun))} ms`,
			`${formatNumber(meanHits)} hits`,
		].join(', ');
		return {
			id: `search-${kind.replace(/[^a-z]+/g, '-')}`,
			label: `SEARCH ${kind} (${search.messages.toLocaleString('en-US')} msgs, ${search.store})`,
			unit: 'ms',
			higherIsBetter: false,
			korichat: { median: percentile(all, 50), tail: p99, runs: latenciesMs.length, samples: [] },
			target: { text: `p99 < ${searchP99TargetMs} ms`, met: p99 < searchP99TargetMs },
			note,
		};
	});
}
