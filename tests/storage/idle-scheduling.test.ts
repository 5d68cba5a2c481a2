import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { kernelThreadId, scheduleIdle } from '../../source/storage/idle-scheduling.js';

const SCHED_IDLE = 5;
const linux = process.platform === 'linux';
if (!linux) console.log('skipped: SCHED_IDLE for the snapshot worker is Linux only');

/** A thread's scheduling policy: field 41 of /proc/<pid>/task/<tid>/stat (after the comm). */
function policyOf(threadId: number): number {
	const stat = readFileSync(`/proc/${process.pid}/task/${threadId}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[41 - 3]);
}

describe.runIf(linux)('idle scheduling of a background thread', () => {
	it('knows the calling thread by its kernel id', () => {
		expect(kernelThreadId()).toBe(
			Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]),
		);
	});

	it('puts another thread under SCHED_IDLE and leaves the calling thread as it was', async () => {
		const worker = new Worker(
			`const { parentPort } = require('node:worker_threads');
			const { readlinkSync } = require('node:fs');
			parentPort.postMessage(Number(readlinkSync('/proc/thread-self').split('/').pop()));
			parentPort.once('message', () => process.exit(0));`,
			{ eval: true },
		);
		try {
			const threadId = await new Promise<number>((resolve) => worker.once('message', resolve));
			const before = policyOf(kernelThreadId()!);
			expect(policyOf(threadId)).not.toBe(SCHED_IDLE);
			expect(scheduleIdle(threadId)).toBe(true);
			expect(policyOf(threadId)).toBe(SCHED_IDLE);
			expect(policyOf(kernelThreadId()!)).toBe(before);
		} finally {
			worker.postMessage('done');
			await worker.terminate();
		}
	});

	it('says so when there is no such thread', () => {
		expect(scheduleIdle(2 ** 22 + 12345)).toBe(false);
	});
});
