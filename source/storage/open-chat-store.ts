import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { DataFolderInUseError, lockDataFolder } from './data-folder-lock.js';
import { JournaledDatabase, type DatabaseOptions } from './journaled-database.js';
import { chatMigrations } from './schema.js';
import { startSearchIndex, type SearchIndexBackend } from './search-index-backend.js';
import { SearchIndexHost, type SearchIndexHostOptions } from './search-index-host.js';
import type { IndexMergeOptions } from './search-index-service.js';
import { SqlChatStore } from './sql-chat-store.js';

export class DataFolderError extends Error {
	override readonly name = 'DataFolderError';
}

/** Tuning and test seams (fault injection) passed through to the JournaledDatabase. */
export type ChatStoreOptions = Pick<
	DatabaseOptions,
	'snapshotAfterBytes' | 'onSnapshotError' | 'fileSystem' | 'instruments'
> & {
	/** How the search index is kept merged (search-index-service.ts). */
	readonly searchIndexMerge?: IndexMergeOptions;
	/** How the search index is fed (search-index-host.ts). */
	readonly searchIndex?: SearchIndexHostOptions;
	/** Where the search index runs (default: its worker thread where one can start). Tests. */
	readonly searchIndexBackend?: () => SearchIndexBackend;
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
	const { searchIndexMerge, searchIndex, searchIndexBackend, ...databaseOptions } = options;
	// The index's thread starts now, so it loads sql.js while the journal replays here.
	const backend = searchIndexBackend?.() ?? startSearchIndex(searchIndexMerge);
	let db: JournaledDatabase;
	try {
		db = await JournaledDatabase.open({
			...databaseOptions,
			dir,
			migrations: chatMigrations,
		});
	} catch (error) {
		await backend.close().catch(() => undefined);
		await lock.release().catch(() => undefined);
		throw error;
	}
	let store: SqlChatStore;
	try {
		// The index of the checkpoint the database vouches for, brought up to date, or (schema v7, a
		// restore, a lost file) one rebuilt from the messages; in the background, before any search.
		const index = await SearchIndexHost.open(db, backend, searchIndex);
		store = new SqlChatStore(db, index);
	} catch (error) {
		await backend.close().catch(() => undefined);
		await db.close().catch(() => undefined);
		await lock.release().catch(() => undefined);
		throw error;
	}
	// Released once the database is closed, even when the final snapshot fails.
	const closeDatabase = store.close.bind(store);
	store.close = () => closeDatabase().finally(() => lock.release());
	return store;
}
