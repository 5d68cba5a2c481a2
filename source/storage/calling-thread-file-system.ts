import * as fs from 'node:fs';
import type { StorageFile, StorageFileSystem } from './storage-file-system.js';

/**
 * The storage's file operations done on the calling thread, for the snapshot worker. Node's
 * promise API hands every read, write and fsync to libuv's thread pool, whose threads are the
 * process's, at normal priority, not the worker's: the hundreds of MB a snapshot reads and writes
 * then ran beside the event loop at its own priority (in the bench's stall workload, 0.9 s of CPU
 * per pool thread per 15 s with snapshots; 0.2 s when the worker does its own). Done here, the
 * work is charged to the worker thread, which yields the CPU to the event loop
 * (snapshot-worker-entry.ts). Errors reject the returned promise, as node's would.
 */
export const callingThreadFileSystem: StorageFileSystem = {
	openFile: (path, flags) => attempt(() => openOnThread(path, flags)),
	readFile: (path) => attempt(() => fs.readFileSync(path)),
	readdir: (path) => attempt(() => fs.readdirSync(path)),
	rename: (from, to) => attempt(() => fs.renameSync(from, to)),
	unlink: (path) => attempt(() => fs.unlinkSync(path)),
	mkdir: (path) =>
		attempt(() => {
			fs.mkdirSync(path, { recursive: true });
		}),
};

function openOnThread(path: string, flags: string): StorageFile {
	const fd = fs.openSync(path, flags);
	return {
		write: (buffer, offset, length) =>
			attempt(() => ({ bytesWritten: fs.writeSync(fd, buffer, offset, length) })),
		datasync: () => attempt(() => fs.fdatasyncSync(fd)),
		sync: () => attempt(() => fs.fsyncSync(fd)),
		truncate: (length) => attempt(() => fs.ftruncateSync(fd, length)),
		stat: () => attempt(() => ({ size: fs.fstatSync(fd).size })),
		close: () => attempt(() => fs.closeSync(fd)),
	};
}

function attempt<T>(operation: () => T): Promise<T> {
	try {
		return Promise.resolve(operation());
	} catch (error) {
		return Promise.reject(error as Error);
	}
}
