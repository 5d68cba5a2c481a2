import { silentLogger } from '../domain/logger.js';
import type { ChatBackend } from '../server/backend.js';
import { openPostgresStore } from '../storage/postgres/open-postgres-store.js';
import { openRedisParts } from '../cluster/open-redis-parts.js';
import { singleNode, throttleLimits, type BackendChoice } from './backends.js';

/**
 * PostgreSQL, with Redis between the nodes when `busUrl` is given (else one node with an
 * in-process bus). Redis keys and the channel start with the database's name, so clusters on
 * different databases may share one Redis.
 */
export async function openClusterBackend(
	choice: BackendChoice & { readonly storeUrl: string },
): Promise<ChatBackend> {
	const log = choice.log ?? silentLogger;
	const store = await openPostgresStore(choice.storeUrl, { log });
	if (choice.busUrl === undefined) return singleNode(store, choice);
	let redis;
	try {
		redis = await openRedisParts(choice.busUrl, {
			prefix: redisPrefixFor(databaseName(choice.storeUrl)),
			log,
			throttleLimits: throttleLimits(choice),
		});
	} catch (error) {
		await store.close();
		throw error;
	}
	const { bus, presence, throttle } = redis;
	return {
		store,
		bus,
		presence,
		throttle,
		async close() {
			await redis.close();
			await store.close();
		},
	};
}

/** Where a cluster's Redis keys and channel start: its database's name keeps clusters apart. */
export const redisPrefixFor = (database: string) => `korichat:${database}:`;

/** The database a postgres:// URL names (its path), as the cluster's name on the bus. */
function databaseName(url: string): string {
	const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
	return name === '' ? 'postgres' : name;
}
