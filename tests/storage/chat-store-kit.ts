import { afterEach } from 'vitest';
import { openChatStore, type ChatStoreOptions } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';

/** `open(dir, options)` for sql.js chat stores that are all closed after each test. */
export function useChatStores(): (
	dir: string,
	options?: ChatStoreOptions,
) => Promise<SqlChatStore> {
	const stores: SqlChatStore[] = [];
	afterEach(async () => {
		for (const store of stores.splice(0)) await store.close().catch(() => undefined);
	});
	return async (dir, options = {}) => {
		const store = await openChatStore(dir, options);
		stores.push(store);
		return store;
	};
}

/** FTS4's own check: every index entry matches its message's words now, and back; throws if not. */
export function expectIndexIntact(store: SqlChatStore): Promise<void> {
	return store.searchIndex.verify();
}
