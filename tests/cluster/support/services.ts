import { inject } from 'vitest';
import { postgresForTests, type PostgresForTests } from '../../helpers/postgres.js';

/**
 * PostgreSQL and Redis for a cluster suite. Either missing: outside CI the suite is skipped (each
 * helper has said so in one line); with CI=true it fails.
 */
export async function clusterServices(): Promise<PostgresForTests> {
	const pg = await postgresForTests();
	const redis = inject('redisReachable');
	if (!redis && process.env.CI === 'true') throw new Error('CI=true but Redis is unreachable');
	return { available: pg.available && redis, createDatabase: pg.createDatabase };
}
