import { setPriority } from 'node:os';

// Entry point of the snapshot worker thread. Linux sets nice per thread: this thread lowers its
// own priority before it loads the worker's modules and sql.js, so none of its start-up (tens of
// ms of CPU) competes with the event loop at normal priority on a machine with 2 cores.
try {
	setPriority(0, 19);
} catch {
	// Not permitted here: run at normal priority.
}
await import('./snapshot-worker.js');
