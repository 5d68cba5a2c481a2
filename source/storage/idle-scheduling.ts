import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';

/**
 * The calling thread's id in the kernel (Linux), or undefined where /proc does not say.
 */
export function kernelThreadId(): number | undefined {
	try {
		const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
		return Number.isInteger(id) && id > 0 ? id : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Puts a thread of this process under Linux's SCHED_IDLE policy, so it runs only on a CPU that
 * nothing else wants and a waking event loop takes the CPU back at once. Nice 19 alone still left
 * the event loop waiting on the run queue behind the snapshot worker (on 2 cores, in the bench's
 * stall workload: 3.4–3.8 s per 15 s against 2.6–2.7 s with SCHED_IDLE, 1.3–1.5 s without
 * snapshots). Node has no call for it, so util-linux's `chrt` sets it. Says whether it did;
 * anywhere else, or without `chrt`, the thread keeps its policy.
 */
export function scheduleIdle(threadId: number): boolean {
	if (process.platform !== 'linux') return false;
	const result = spawnSync('chrt', ['--idle', '--pid', '0', String(threadId)], {
		stdio: 'ignore',
		timeout: 5000,
	});
	return result.status === 0;
}
