import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { StorageStats } from './journaled-database.js';

/**
 * A hidden probe for `npm run bench`: with KORICHAT_BENCH_STATS=1 the process answers SIGUSR2 by
 * printing one `korichat-stats {json}` line on stderr: the storage counters and the longest
 * event-loop delay since the previous report. Returns the uninstaller.
 */
export function installStatsProbe(stats: () => StorageStats): () => void {
	const delay = monitorEventLoopDelay({ resolution: 5 });
	delay.enable();
	const report = () => {
		const memory = process.memoryUsage();
		const line = {
			...stats(),
			loopDelayMaxMs: delay.max / 1e6,
			heapUsedKiB: Math.round(memory.heapUsed / 1024),
			externalKiB: Math.round(memory.external / 1024),
		};
		delay.reset();
		process.stderr.write(`korichat-stats ${JSON.stringify(line)}\n`);
	};
	process.on('SIGUSR2', report);
	return () => {
		process.off('SIGUSR2', report);
		delay.disable();
	};
}

export const statsProbeRequested = () => process.env.KORICHAT_BENCH_STATS === '1';

/** KORICHAT_SNAPSHOT_AFTER_BYTES overrides the journal size that triggers a snapshot. */
export function snapshotThresholdFromEnvironment(): number | undefined {
	const value = process.env.KORICHAT_SNAPSHOT_AFTER_BYTES;
	if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) return undefined;
	return Number(value);
}
