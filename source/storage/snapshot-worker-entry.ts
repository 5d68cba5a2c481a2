import { setPriority } from 'node:os';
import { workerData } from 'node:worker_threads';
import { kernelThreadId, scheduleIdle } from './idle-scheduling.js';

// Entry point of the snapshot worker thread. Linux sets nice and the scheduling policy per thread:
// this thread lowers its own priority (and asks for SCHED_IDLE, see idle-scheduling.ts) before it
// loads the worker's modules and sql.js, so none of its work (a second or two of CPU for each
// snapshot) competes with the event loop on a machine with 2 cores. Idle, it runs only on a CPU
// nothing else wants, and under a load that keeps both busy (the event loop and the search index's
// thread, at nice 10) it waits; the journal grows meanwhile. A snapshot that starts with the
// journal far behind (`behind`, snapshot-offload.ts) runs at nice 10 instead, beside the index.
const { behind } = (workerData ?? {}) as { behind?: boolean };
try {
	setPriority(0, behind ? 10 : 19);
} catch {
	// Not permitted here: run at normal priority.
}
const threadId = kernelThreadId();
if (threadId !== undefined && !behind) scheduleIdle(threadId);
await import('./snapshot-worker.js');
