import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../source/domain/logger.js';
import { hashSessionId } from '../../../source/domain/secrets.js';
import { migratePostgres } from '../../../source/storage/postgres/postgres-migrate.js';
import { postgresMigrations } from '../../../source/storage/postgres/postgres-schema.js';
import { date, directKey } from '../../contracts/chat-store-kit.js';
import { captureLog } from '../../helpers/log-capture.js';
import { pg, usePostgres } from './postgres-kit.js';

type Db = postgres.Sql<Record<string, unknown>>;

async function withSql<T>(url: string, work: (sql: Db) => Promise<T>): Promise<T> {
	const sql = postgres(url, { max: 1, onnotice: () => undefined }) as unknown as Db;
	try {
		return await work(sql);
	} finally {
		await sql.end();
	}
}

describe.skipIf(!pg.available)('PostgreSQL schema version 3 (disabled accounts)', () => {
	const pgs = usePostgres();

	it('opens a version 2 database: nobody disabled, sessions and messages kept, disabling works', async () => {
		const { url } = await pgs.database();
		await withSql(url, async (sql) => {
			await migratePostgres(sql, postgresMigrations.slice(0, 2), silentLogger);
			for (const name of ['ann', 'bob']) {
				await sql`INSERT INTO names (name, kind) VALUES (${name}, 'user')`;
				await sql`
					INSERT INTO users (name, display_name, password_hash, created_at)
					VALUES (${name}, ${name}, 'x', ${date})`;
			}
			await sql`
				INSERT INTO sessions (id_hash, user_name, created_at, last_used_at)
				VALUES (${hashSessionId('ann-cookie')}, 'ann', 1, 7)`;
			await sql`
				INSERT INTO messages (id, conversation, sender, recipient, group_name, body, date)
				VALUES (1, ${directKey('ann', 'bob')}, 'ann', 'bob', NULL,
					convert_to('written under v2', 'UTF8'), ${date})`;
			await sql`UPDATE message_counter SET last = 1`;
		});

		const { log, messages: lines } = captureLog();
		const store = await pgs.store(url, { log });
		expect(lines).toContain('postgres: applied schema version 3');
		expect(await store.findUser('ann')).toEqual({
			name: 'ann',
			displayName: 'ann',
			passwordHash: 'x',
			createdAt: date,
		});
		expect(await store.findSession('ann-cookie')).toMatchObject({ user: 'ann', lastUsedAt: 7 });
		expect(
			(await store.userOverviews()).map((user) => [user.name, user.sessions, user.disabled]),
		).toEqual([
			['ann', 1, false],
			['bob', 0, false],
		]);
		expect(await store.setDisabled('ann', true)).toEqual([hashSessionId('ann-cookie')]);
		expect(await store.findUser('ann')).toMatchObject({ disabled: true });
		const history = await store.history(directKey('ann', 'bob'), undefined, 10);
		expect(history.map((message) => message.body)).toEqual(['written under v2']);
	});

	it('refuses, in one line, a database written by a newer KoriChat', async () => {
		const { url } = await pgs.database();
		await withSql(url, (sql) =>
			migratePostgres(
				sql,
				[...postgresMigrations, { version: 99, up: 'CREATE TABLE later (x INTEGER)' }],
				silentLogger,
			),
		);
		const refused = await pgs.store(url).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		expect(refused?.message).toMatch(
			/^[^\n]*schema version 99 [^\n]*knows only up to 4[^\n]*newer KoriChat$/,
		);
	});
});
