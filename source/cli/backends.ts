import { InProcessBus } from '../domain/bus.js';
import { InMemoryLoginThrottle, type ThrottleLimits } from '../domain/login-throttle.js';
import { silentLogger, type Logger } from '../domain/logger.js';
import { LocalPresence } from '../domain/presence.js';
import type { ChatStore } from '../domain/store.js';
import type { ChatBackend } from '../server/backend.js';
import { openChatStore } from '../storage/open-chat-store.js';
import type { StorageFileSystem } from '../storage/storage-file-system.js';
import type { StorageInstruments } from '../storage/storage-instruments.js';
import { reasonOf } from '../domain/error-reason.js';

/** Where a server keeps its data and how its nodes talk: the `--data`, `--store`, `--bus` flags. */
export type BackendChoice = {
	/** The sql.js data folder (the embedded default; unused with a PostgreSQL store). */
	readonly dataDir: string;
	/** `postgres://…`: the cluster's database instead of sql.js in `dataDir`. */
	readonly storeUrl?: string;
	/** `redis://…`: the bus between the nodes of a cluster (needs `storeUrl`). */
	readonly busUrl?: string;
	/** Failed logins per user name per minute; 0 turns the limit off. */
	readonly failedLoginLimit?: number;
	/** sql.js: journal bytes after which a snapshot replaces the journal (`--snapshot-after`). */
	readonly snapshotAfterBytes?: number;
	/** Test seam: every file operation of the storage goes through it (to inject ENOSPC, EIO). */
	readonly storageFileSystem?: StorageFileSystem;
	/** Told of the journal's group commits and of snapshots (sql.js; the metrics). */
	readonly storageInstruments?: StorageInstruments;
	readonly clock?: () => number;
	readonly log?: Logger;
};

export const defaultFailedLoginLimit = 5;

export function throttleLimits(choice: BackendChoice): ThrottleLimits {
	return {
		limit: choice.failedLoginLimit ?? defaultFailedLoginLimit,
		windowMs: 60_000,
		clock: choice.clock ?? Date.now,
	};
}

/** A choice of store and bus that cannot work, said in one line a person can act on. */
export class BackendChoiceError extends Error {
	override readonly name = 'BackendChoiceError';
}

/** Opens what the choice names: sql.js by default, PostgreSQL with `storeUrl`, Redis with `busUrl`. */
export async function openBackend(choice: BackendChoice): Promise<ChatBackend> {
	const { storeUrl, busUrl } = choice;
	if (busUrl !== undefined && storeUrl === undefined) {
		throw new BackendChoiceError(
			'--bus joins the nodes of a cluster, which share a PostgreSQL store: add --store postgres://…',
		);
	}
	if (storeUrl === undefined) return openEmbeddedBackend(choice);
	if (choice.snapshotAfterBytes !== undefined) {
		throw new BackendChoiceError(
			'--snapshot-after tunes the sql.js journal in --data; a PostgreSQL store (--store) has none',
		);
	}
	if (!/^postgres(ql)?:\/\//i.test(storeUrl)) {
		throw new BackendChoiceError(
			`--store takes a postgres:// URL (e.g. postgres://user@host:5432/korichat), not "${storeUrl.slice(0, 60)}"`,
		);
	}
	if (busUrl !== undefined && !/^rediss?:\/\//i.test(busUrl)) {
		throw new BackendChoiceError(
			`--bus takes a redis:// URL (e.g. redis://host:6379), not "${busUrl.slice(0, 60)}"`,
		);
	}
	// Loaded only here, so that the embedded default never loads the database clients.
	const { openClusterBackend } = await import('./cluster-backend.js');
	return openClusterBackend({ ...choice, storeUrl });
}

/** One node on sql.js in its data folder: what `korichat --serve` runs without `--store`. */
export async function openEmbeddedBackend(choice: BackendChoice): Promise<ChatBackend> {
	const log = choice.log ?? silentLogger;
	const store = await openChatStore(choice.dataDir, {
		snapshotAfterBytes: choice.snapshotAfterBytes,
		fileSystem: choice.storageFileSystem,
		instruments: choice.storageInstruments,
		onSnapshotError: (error) =>
			log.error(
				{ event: 'snapshot-failed', reason: reasonOf(error) },
				`snapshot failed (the journal still holds everything): ${reasonOf(error)}`,
			),
	});
	return singleNode(store, choice);
}

/** A store with one node's bus, presence and login throttle, all in this process. */
export function singleNode(store: ChatStore, choice: BackendChoice): ChatBackend {
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
