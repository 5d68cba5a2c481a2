import { afterEach } from 'vitest';
import {
	openPostgresStore,
	type PostgresStoreOptions,
} from '../../../source/storage/postgres/open-postgres-store.js';
import type { PostgresChatStore } from '../../../source/storage/postgres/postgres-chat-store.js';
import { postgresForTests, type TestDatabase } from '../../helpers/postgres.js';

export const pg = await postgresForTests();

/** Small pools: the test server's connections are shared by every suite running at once. */
export const testPool = { max: 4, connectTimeout: 5 } as const;

/** Fresh databases and stores for one test, closed and dropped after it. */
export function usePostgres() {
	const cleanups: (() => Promise<void>)[] = [];
	afterEach(async () => {
		for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
	});
	return {
		async database(): Promise<TestDatabase> {
			const database = await pg.createDatabase();
			cleanups.push(() => database.drop());
			return database;
		},
		async store(url: string, options: PostgresStoreOptions = {}): Promise<PostgresChatStore> {
			const store = await openPostgresStore(url, { ...testPool, ...options });
			cleanups.push(() => store.close());
			return store;
		},
	};
}

/** A door that append transactions wait at before COMMIT, while it is shut. */
export function door() {
	let open: Promise<void> = Promise.resolve();
	let release = () => undefined as void;
	let entered = 0;
	let onEnter: (() => void) | undefined;
	return {
		get entered() {
			return entered;
		},
		shut() {
			open = new Promise((resolve) => (release = resolve));
		},
		open: () => release(),
		/** Resolves when the next transaction reaches the door. */
		reached: () => new Promise<void>((resolve) => (onEnter = resolve)),
		beforeCommit: async () => {
			entered++;
			onEnter?.();
			onEnter = undefined;
			await open;
		},
	};
}
