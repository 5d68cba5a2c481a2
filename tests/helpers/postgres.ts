import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The test server (trust auth); KORICHAT_TEST_POSTGRES points elsewhere. */
export const postgresServerUrl =
	process.env.KORICHAT_TEST_POSTGRES ?? 'postgres://root@127.0.0.1:5432';

export type TestDatabase = {
	/** postgres:// URL of a fresh, empty database made for this caller. */
	readonly url: string;
	readonly name: string;
	/** Drops it, ending whatever is still connected to it. */
	drop(): Promise<void>;
};

export type PostgresForTests = {
	/** False outside CI when no server answers: suites skip (`describe.skipIf(!pg.available)`). */
	readonly available: boolean;
	createDatabase(): Promise<TestDatabase>;
};

const urlFor = (database: string) => {
	const url = new URL(postgresServerUrl);
	url.pathname = `/${database}`;
	return url.toString();
};
const admin = () =>
	postgres(urlFor('postgres'), { max: 1, connect_timeout: 3, onnotice: () => undefined });

let probe: Promise<string | undefined> | undefined;

/** Why the server cannot be used, or undefined when it answers. */
function unreachableReason(): Promise<string | undefined> {
	probe ??= (async () => {
		const sql = admin();
		let timer: NodeJS.Timeout | undefined;
		try {
			await Promise.race([
				sql`SELECT 1`,
				new Promise((_, reject) => {
					timer = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
				}),
			]);
			return undefined;
		} catch (error) {
			return error instanceof Error ? error.message : String(error);
		} finally {
			clearTimeout(timer);
			await sql.end({ timeout: 0 }).catch(() => undefined);
		}
	})();
	return probe;
}

/**
 * The PostgreSQL test server, or a flag to skip by: outside CI an unreachable server skips the
 * suites with one warning; with CI=true it fails, so a broken CI setup is never silently green.
 */
export async function postgresForTests(): Promise<PostgresForTests> {
	const reason = await unreachableReason();
	if (reason !== undefined) {
		const line = `PostgreSQL at ${postgresServerUrl} is not reachable (${reason})`;
		if (process.env.CI === 'true') throw new Error(`${line}; CI needs it`);
		console.warn(`${line}: skipping the PostgreSQL suites`);
	}
	return { available: reason === undefined, createDatabase: createTestDatabase };
}

/** A uniquely named empty database; drop it after the suite. */
export async function createTestDatabase(): Promise<TestDatabase> {
	const name = `korichat_test_${randomBytes(6).toString('hex')}`;
	const sql = admin();
	try {
		await sql`CREATE DATABASE ${sql(name)} TEMPLATE template0 ENCODING 'UTF8'`;
	} finally {
		await sql.end();
	}
	return {
		url: urlFor(name),
		name,
		async drop() {
			const dropper = admin();
			try {
				await dropper`DROP DATABASE IF EXISTS ${dropper(name)} WITH (FORCE)`;
			} finally {
				await dropper.end();
			}
		},
	};
}
