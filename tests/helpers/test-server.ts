import { hostServer, type HostOptions } from '../../source/cli/host-server.js';
import type { RunningServer } from '../../source/server/chat-server.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';
import { makeTempDir } from './temp-dir.js';
import { silentLogger } from '../../source/domain/logger.js';

// Cheap hashing keeps suites fast; production parameters are tested in the domain tests.
export const testScrypt = { N: 1024, r: 8, p: 1 } as const;

export type TestServer = RunningServer & { readonly dataDir: string; stop(): Promise<void> };

/**
 * The vitest project "postgres" sets KORICHAT_TEST_STORE=postgres: the same suites then run on a
 * fresh PostgreSQL database per server (kept for a restart on the same data folder).
 */
const onPostgres = process.env.KORICHAT_TEST_STORE === 'postgres';
const databases = new Map<string, TestDatabase>();

/** Drops every database this file's servers made (the postgres project's setup file calls it). */
export async function dropTestDatabases(): Promise<void> {
	const all = [...databases.values()];
	databases.clear();
	await Promise.all(all.map((database) => database.drop().catch(() => undefined)));
}

async function storeFor(dataDir: string): Promise<Partial<HostOptions>> {
	if (!onPostgres) return {};
	let database = databases.get(dataDir);
	if (!database) {
		database = await createTestDatabase();
		databases.set(dataDir, database);
	}
	return { storeUrl: database.url };
}

/** A real server on an ephemeral loopback port, over a temp data folder (or a database). */
export async function startTestServer(
	options: Partial<HostOptions> = {},
	existingDir?: string,
): Promise<TestServer> {
	const temp = existingDir ? undefined : await makeTempDir();
	const dataDir = existingDir ?? temp!.dir;
	const server = await hostServer({
		host: '127.0.0.1',
		port: 0,
		rateLimit: 0,
		scrypt: testScrypt,
		log: silentLogger,
		...(await storeFor(dataDir)),
		...options,
		dataDir,
	});
	return {
		...server,
		dataDir,
		async stop() {
			await server.close();
			await temp?.remove();
		},
	};
}
