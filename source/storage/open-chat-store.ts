import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { DataFolderInUseError, lockDataFolder } from './data-folder-lock.js';
import { JournaledDatabase, type DatabaseOptions } from './journaled-database.js';
import { chatMigrations } from './schema.js';
import type { SearchIndexMergerOptions } from './search-index-merger.js';
import { SqlChatStore } from './sql-chat-store.js';
import { indexUnsearchedMessages } from './sql-search.js';

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
	const { searchIndexMerger, ...databaseOptions } = options;
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
		// Messages written before schema v4 become searchable (a no-op once they all are); the
		// store's merger then merges the index segments this leaves, in the background.
		indexUnsearchedMessages(db);
		store = new SqlChatStore(db, searchIndexMerger);
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
