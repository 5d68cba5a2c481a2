import { setPriority } from 'node:os';
import { kernelThreadId, scheduleIdle } from './idle-scheduling.js';

// Entry point of the snapshot worker thread. Linux sets nice and the scheduling policy per thread:
// this thread lowers its own priority (and asks for SCHED_IDLE, see idle-scheduling.ts) before it
// loads the worker's modules and sql.js, so none of its work (a second or two of CPU for each
// snapshot) competes with the event loop on a machine with 2 cores.
try {
	setPriority(0, 19);
} catch {
	// Not permitted here: run at normal priority.
}
const threadId = kernelThreadId();
if (threadId !== undefined) scheduleIdle(threadId);
await import('./snapshot-worker.js');
