import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { DataFolderInUseError, lockDataFolder } from './data-folder-lock.js';
import { JournaledDatabase, type DatabaseOptions } from './journaled-database.js';
import { chatMigrations } from './schema.js';
import type { SearchIndexMergerOptions } from './search-index-merger.js';
import type { SearchIndexerOptions } from './search-indexer.js';
import { SqlChatStore } from './sql-chat-store.js';

export class DataFolderError extends Error {
	override readonly name = 'DataFolderError';
}

/** Tuning and test seams (fault injection) passed through to the JournaledDatabase. */
export type ChatStoreOptions = Pick<
	DatabaseOptions,
	'snapshotAfterBytes' | 'onSnapshotError' | 'fileSystem' | 'instruments'
> & {
	/** How the search index is kept merged (search-index-merger.ts). */
	readonly searchIndexMerger?: SearchIndexMergerOptions;
	/** How new messages are indexed for search (search-indexer.ts). */
	readonly searchIndexer?: SearchIndexerOptions;
};

/**
 * Opens (or creates) the chat database in a data folder, which it locks first: a folder another
 * live process has open is refused with DataFolderInUseError. Closing the store releases the lock.
 */
export async function openChatStore(
	dir: string,
	options: ChatStoreOptions = {},
): Promise<SqlChatStore> {
	try {
		await mkdir(dir, { recursive: true, mode: 0o700 });
		await access(dir, constants.W_OK);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new DataFolderError(
			`cannot use the data folder ${dir} (${reason}); choose one with --data`,
		);
	}
	const lock = await lockDataFolder(dir).catch((error: unknown) => {
		if (error instanceof DataFolderInUseError) throw error;
		const reason = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new DataFolderError(`cannot lock the data folder ${dir} (${reason})`);
	});
	const { searchIndexMerger, searchIndexer, ...databaseOptions } = options;
	let db: JournaledDatabase;
	try {
		db = await JournaledDatabase.open({
			...databaseOptions,
			dir,
			migrations: chatMigrations,
		});
	} catch (error) {
		await lock.release().catch(() => undefined);
		throw error;
	}
	let store: SqlChatStore;
	try {
		// Messages not indexed yet (written before schema v4, or just before a crash) are indexed by
		// the store's indexer in the background, and before any search.
		store = new SqlChatStore(db, searchIndexMerger, searchIndexer);
	} catch (error) {
		await db.close().catch(() => undefined);
		await lock.release().catch(() => undefined);
		throw error;
	}
	// Released once the database is closed, even when the final snapshot fails.
	const closeDatabase = store.close.bind(store);
	store.close = () => closeDatabase().finally(() => lock.release());
	return store;
}
