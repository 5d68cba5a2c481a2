import * as fs from 'node:fs/promises';

/** The part of a file handle the storage uses; node's FileHandle satisfies it. */
export interface StorageFile {
	write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
	datasync(): Promise<void>;
	sync(): Promise<void>;
	truncate(length: number): Promise<void>;
	stat(): Promise<{ size: number }>;
	close(): Promise<void>;
}

/** Every file operation the storage performs, so tests can inject failures (ENOSPC, EIO). */
export interface StorageFileSystem {
	openFile(path: string, flags: 'a' | 'r' | 'r+' | 'w'): Promise<StorageFile>;
	readFile(path: string): Promise<Buffer>;
	readdir(path: string): Promise<string[]>;
	rename(from: string, to: string): Promise<void>;
	unlink(path: string): Promise<void>;
	mkdir(path: string): Promise<void>;
}

export const nodeFileSystem: StorageFileSystem = {
	openFile: (path, flags) => fs.open(path, flags),
	readFile: (path) => fs.readFile(path),
	readdir: (path) => fs.readdir(path),
	rename: (from, to) => fs.rename(from, to),
	unlink: (path) => fs.unlink(path),
	mkdir: async (path) => {
		await fs.mkdir(path, { recursive: true });
	},
};

// One huge write (a whole snapshot) stalled the event loop for ~80 ms while the kernel took in
// the dirty pages; writes of a few MiB each keep every pause short.
const MAX_WRITE_BYTES = 4 * 1024 * 1024;

export async function writeFully(
	file: StorageFile,
	bytes: Uint8Array,
	length: number,
): Promise<void> {
	let offset = 0;
	while (offset < length) {
		const chunk = Math.min(length - offset, MAX_WRITE_BYTES);
		const { bytesWritten } = await file.write(bytes, offset, chunk);
		offset += bytesWritten;
	}
}

/** A rename or a new file is durable only once its folder is fsynced. */
export async function syncDirectory(fileSystem: StorageFileSystem, dir: string): Promise<void> {
	const handle = await fileSystem.openFile(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

export function isMissingFile(error: unknown): boolean {
	return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

export async function unlinkIfPresent(
	fileSystem: StorageFileSystem,
	path: string,
): Promise<boolean> {
	try {
		await fileSystem.unlink(path);
		return true;
	} catch (error) {
		if (isMissingFile(error)) return false;
		throw error;
	}
}
