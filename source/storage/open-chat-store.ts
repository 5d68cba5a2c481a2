import { constants } from 'node:fs';
import { access, mkdir } from 'node:fs/promises';
import { JournaledDatabase } from './journaled-database.js';
import { chatMigrations } from './schema.js';
import { SqlChatStore } from './sql-chat-store.js';

export class DataFolderError extends Error {
	override readonly name = 'DataFolderError';
}

/** Opens (or creates) the chat database in a data folder. */
export async function openChatStore(dir: string): Promise<SqlChatStore> {
	try {
		await mkdir(dir, { recursive: true, mode: 0o700 });
		await access(dir, constants.W_OK);
	} catch (error) {
		const reason = (error as NodeJS.ErrnoException).code ?? String(error);
		throw new DataFolderError(
			`cannot use the data folder ${dir} (${reason}); choose one with --data`,
		);
	}
	const db = await JournaledDatabase.open({ dir, migrations: chatMigrations });
	return new SqlChatStore(db);
}
