import { InProcessBus } from '../domain/bus.js';
import { InMemoryLoginThrottle, type ThrottleLimits } from '../domain/login-throttle.js';
import { LocalPresence } from '../domain/presence.js';
import type { ChatBackend } from '../server/backend.js';
import { openChatStore } from '../storage/open-chat-store.js';
import type { StorageFileSystem } from '../storage/storage-file-system.js';

/** Where a server keeps its data and how its nodes talk: the `--data`, `--store`, `--bus` flags. */
export type BackendChoice = {
	/** The sql.js data folder (the embedded default). */
	readonly dataDir: string;
	/** Failed logins per user name per minute; 0 turns the limit off. */
	readonly failedLoginLimit?: number;
	/** Journal bytes after which a snapshot replaces the journal (small values: crash tests). */
	readonly snapshotAfterBytes?: number;
	/** Test seam: every file operation of the storage goes through it (to inject ENOSPC, EIO). */
	readonly storageFileSystem?: StorageFileSystem;
	readonly clock?: () => number;
	readonly log?: (line: string) => void;
};

export const defaultFailedLoginLimit = 5;

export function throttleLimits(choice: BackendChoice): ThrottleLimits {
	return {
		limit: choice.failedLoginLimit ?? defaultFailedLoginLimit,
		windowMs: 60_000,
		clock: choice.clock ?? Date.now,
	};
}

/** One node on sql.js in its data folder: what `korichat --serve` runs without `--store`. */
export async function openEmbeddedBackend(choice: BackendChoice): Promise<ChatBackend> {
	const log = choice.log ?? (() => undefined);
	const store = await openChatStore(choice.dataDir, {
		snapshotAfterBytes: choice.snapshotAfterBytes,
		fileSystem: choice.storageFileSystem,
		onSnapshotError: (error) =>
			log(`snapshot failed (the journal still holds everything): ${reasonOf(error)}`),
	});
	const bus = new InProcessBus();
	const presence = new LocalPresence();
	return {
		store,
		bus,
		presence,
		throttle: new InMemoryLoginThrottle(throttleLimits(choice)),
		async close() {
			await bus.close();
			await presence.close();
			await store.close();
		},
	};
}

export function reasonOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
