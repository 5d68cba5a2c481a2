import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { callingThreadFileSystem } from './calling-thread-file-system.js';
import {
	SearchIndexService,
	type IndexMergeOptions,
	type IndexRequest,
} from './search-index-service.js';

// The search index's worker thread (search-index-backend.ts). Requests are handled one at a time,
// in the order they came: the chat store relies on it (a search sees every change sent before it).
// Its files are read and written on this thread, not in libuv's pool (calling-thread-file-system.ts).

// Below the event loop, not idle: on 2 cores the index took a core from the request path (DM
// throughput 33-36k msg/s at nice 0, 38-41k at nice 10); a search still gets its turn promptly.
// When the index falls behind, the host reads new messages back later (search-index-host.ts).
try {
	setPriority(0, 10);
} catch {
	// Not permitted here: run at normal priority.
}

const service = new SearchIndexService(callingThreadFileSystem, workerData as IndexMergeOptions);
let tail: Promise<void> = Promise.resolve();

parentPort?.on('message', ({ id, request }: { id: number; request: IndexRequest }) => {
	tail = tail.then(async () => {
		parentPort!.postMessage({ id, answer: await service.handle(request) });
	});
});
