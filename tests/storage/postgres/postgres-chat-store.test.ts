import { describe } from 'vitest';
import { openPostgresStore } from '../../../source/storage/postgres/open-postgres-store.js';
import { describeChatStore } from '../../contracts/chat-store.contract.js';
import { pg, testPool } from './postgres-kit.js';

describe.skipIf(!pg.available)('PostgresChatStore', () => {
	describeChatStore('PostgreSQL', async () => {
		const database = await pg.createDatabase();
		let store = await openPostgresStore(database.url, testPool);
		return {
			store,
			async close() {
				await store.close().catch(() => undefined);
				await database.drop();
			},
			async reopen() {
				await store.close();
				store = await openPostgresStore(database.url, testPool);
				return store;
			},
		};
	});
});
