import { spawnSync } from 'node:child_process';
import postgres from 'postgres';
import { createClient } from 'redis';
import { redisPrefixFor } from '../../source/cli/cluster-backend.js';

/** Where the cluster bench finds its services (trust auth on loopback by default). */
export const adminUrl =
	process.env['KORICHAT_BENCH_POSTGRES'] ?? 'postgres://root@127.0.0.1:5432/postgres';
export const redisUrl = process.env['KORICHAT_BENCH_REDIS'] ?? 'redis://127.0.0.1:6379';

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

function admin() {
	return postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => undefined });
}

/** A Redis client that gives up at once instead of reconnecting (for checks and clean-up). */
function oneShotRedis() {
	const client = createClient({
		url: redisUrl,
		socket: { connectTimeout: 3000, reconnectStrategy: false },
	});
	client.on('error', () => undefined);
	return client;
}

/** Undefined when PostgreSQL and Redis both answer; else one line saying which does not. */
export async function unreachableServices(): Promise<string | undefined> {
	const sql = admin();
	try {
		await sql`SELECT 1`;
	} catch (error) {
		return `PostgreSQL at ${adminUrl} is not reachable (${reason(error)})`;
	} finally {
		await sql.end({ timeout: 1 }).catch(() => undefined);
	}
	const client = oneShotRedis();
	try {
		await client.connect();
		await client.ping();
	} catch (error) {
		return `Redis at ${redisUrl} is not reachable (${reason(error)})`;
	} finally {
		if (client.isOpen) await client.close().catch(() => undefined);
	}
	return undefined;
}

const created = new Set<string>();
let counter = 0;

/** The URL of database `name` on the admin URL's server. */
export function databaseUrl(name: string): string {
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/**
 * Creates an empty database with a name no other run uses (the server derives its Redis keys
 * from the database name, so a fresh one also keeps Redis keys apart) and returns its URL.
 */
export async function createDatabase(label: string): Promise<{ name: string; url: string }> {
	const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
	const name = `korichat_bench_${stamp}_${process.pid}_${counter++}_${label}`;
	const sql = admin();
	try {
		await sql.unsafe(`CREATE DATABASE "${name}"`);
	} finally {
		await sql.end({ timeout: 1 });
	}
	created.add(name);
	return { name, url: databaseUrl(name) };
}

/** Drops the database (closing what is still connected to it) and its Redis keys (`korichat:NAME:`). */
export async function dropDatabase(name: string): Promise<void> {
	const sql = admin();
	try {
		await sql.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
	} finally {
		await sql.end({ timeout: 1 });
	}
	created.delete(name);
	await dropRedisKeys(name);
}

async function dropRedisKeys(name: string): Promise<void> {
	const client = oneShotRedis();
	try {
		await client.connect();
		for await (const batch of client.scanIterator({
			MATCH: `${redisPrefixFor(name)}*`,
			COUNT: 1000,
		})) {
			const keys = ([] as string[]).concat(batch as string | string[]);
			if (keys.length > 0) await client.del(keys);
		}
	} catch {
		// Redis was optional for this database (one node, in-process bus).
	} finally {
		if (client.isOpen) await client.close().catch(() => undefined);
	}
}

export async function dropAllDatabases(): Promise<void> {
	for (const name of [...created]) await dropDatabase(name);
}

/** For signal handlers, which cannot wait: psql, if it is installed. */
export function dropAllDatabasesSync(): void {
	for (const name of created) {
		spawnSync('psql', [adminUrl, '-qc', `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`], {
			stdio: 'ignore',
			timeout: 5000,
		});
	}
	created.clear();
}
