import type { ChatStore } from '../../source/domain/store.js';

type PostgresModule = {
	openPostgresStore(url: string, options?: object): Promise<ChatStore>;
};

/** The PostgreSQL ChatStore, loaded only when a fixture goes to PostgreSQL. */
export async function openPostgresStore(url: string): Promise<ChatStore> {
	const specifier = '../../source/storage/postgres/index.js';
	const module = (await import(specifier)) as PostgresModule;
	return module.openPostgresStore(url);
}
