import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../../source/domain/search-words.js';
import { migratePostgres } from '../../../source/storage/postgres/postgres-migrate.js';
import { postgresMigrations } from '../../../source/storage/postgres/postgres-schema.js';
import { fillMissingSearchVectors } from '../../../source/storage/postgres/postgres-search-backfill.js';
import { toTsquery } from '../../../source/storage/postgres/postgres-search.js';
import { date, withUsers } from '../../contracts/chat-store-kit.js';
import { pg, usePostgres } from './postgres-kit.js';
import { silentLogger } from '../../../source/domain/logger.js';
import { captureLog } from '../../helpers/log-capture.js';

type Db = postgres.Sql<Record<string, unknown>>;

/** A connection of its own to the database, ended after `work`. */
async function withSql<T>(url: string, work: (sql: Db) => Promise<T>): Promise<T> {
	const sql = postgres(url, { max: 2, onnotice: () => undefined }) as unknown as Db;
	try {
		return await work(sql);
	} finally {
		await sql.end();
	}
}

/** A database at schema version 1 (before search) holding `count` direct messages ann → bob. */
async function versionOneWith(url: string, count: number, body: (id: number) => string) {
	await withSql(url, async (sql) => {
		await migratePostgres(sql, postgresMigrations.slice(0, 1), silentLogger);
		const ids = Array.from({ length: count }, (_, index) => index + 1);
		await sql`
			INSERT INTO messages (id, conversation, sender, recipient, group_name, body, date)
			SELECT id, 'd:ann:bob', 'ann', 'bob', NULL, convert_to(body, 'UTF8'), ${date}
			FROM unnest(${ids}::int8[], ${ids.map(body)}::text[]) AS x (id, body)`;
		await sql`UPDATE message_counter SET last = ${count}`;
	});
}

const unindexed = (url: string) =>
	withSql(url, async (sql) => {
		const [row] = await sql<{ n: number }[]>`
			SELECT COUNT(*)::int AS n FROM messages WHERE search_vector IS NULL AND NOT deleted`;
		return row!.n;
	});

describe.skipIf(!pg.available)('PostgreSQL search index: schema version 2 and its backfill', () => {
	const pgs = usePostgres();

	it('indexes the messages written before search existed, once, when the store opens', async () => {
		const { url } = await pgs.database();
		await versionOneWith(url, 1203, (id) => `old news n${id}, Ünïcode-tag${id % 7}`);
		const { log: linesLog, messages: lines } = captureLog();
		const store = await pgs.store(url, { log: linesLog });
		expect(lines).toEqual([
			'postgres: applied schema version 2',
			'postgres: applied schema version 3',
			'postgres: applied schema version 4',
			'postgres: indexed 1203 earlier messages for search',
		]);
		expect(await unindexed(url)).toBe(0);
		await withUsers(store, ['ann', 'bob']);
		const found = await store.search('bob', { terms: searchTerms('ünïcode n3 news'), limit: 5 });
		expect(found.map((message) => message.body)).toEqual(['old news n3, Ünïcode-tag3']);
		const sixes = await store.search('ann', { terms: searchTerms('TAG6 ÜNÏCODE'), limit: 500 });
		const expected = Array.from({ length: 1203 }, (_, index) => 1203 - index).filter(
			(id) => id % 7 === 6,
		);
		expect(sixes.map((message) => message.id)).toEqual(expected);
		expect(sixes[0]).toMatchObject({ from: 'ann', to: 'bob', group: null, replyTo: null });

		// Opening again finds nothing left to do.
		await pgs.store(url, { log: linesLog });
		expect(lines).toHaveLength(4);
	});

	it('shares the work between nodes starting at once, and each returns only when all is done', async () => {
		const { url } = await pgs.database();
		await versionOneWith(url, 2500, (id) => `word${id} common`);
		await withSql(url, (sql) => migratePostgres(sql, postgresMigrations, silentLogger));
		expect(await unindexed(url)).toBe(2500);
		const counts = await Promise.all(
			[1, 2, 3].map(() =>
				withSql(url, async (sql) => {
					const indexed = await fillMissingSearchVectors(sql, 100);
					// Whichever node finishes, nothing is left unindexed when it returns.
					expect(await unindexed(url)).toBe(0);
					return indexed;
				}),
			),
		);
		// Every message was indexed by exactly one node.
		expect(counts.reduce((sum, count) => sum + count, 0)).toBe(2500);
		expect(await withSql(url, (sql) => fillMissingSearchVectors(sql, 100))).toBe(0);
		const store = await pgs.store(url);
		const found = await store.search('ann', { terms: searchTerms('word2500'), limit: 5 });
		expect(found.map((message) => message.id)).toEqual([2500]);
	});

	it('plans searches from fresh word counts: no GIN pending list, a fine census, analyzed after the backfill', async () => {
		const { url } = await pgs.database();
		await versionOneWith(url, 300, (id) => `word${id} common`);
		await pgs.store(url);
		await withSql(url, async (sql) => {
			const [index] = await sql<{ options: string[] }[]>`
				SELECT reloptions AS options FROM pg_class WHERE relname = 'messages_search'`;
			expect(index!.options).toEqual(['fastupdate=off']);
			const [column] = await sql<{ target: number }[]>`
				SELECT attstattarget::int AS target FROM pg_attribute
				WHERE attrelid = 'messages'::regclass AND attname = 'search_vector'`;
			expect(column!.target).toBe(1000);
			const [stats] = await sql<{ words: string[] }[]>`
				SELECT most_common_elems::text::text[] AS words FROM pg_stats
				WHERE tablename = 'messages' AND attname = 'search_vector'`;
			expect(stats?.words).toContain('common');
		});
	});

	it('leaves tombstones unindexed and never picks them up again', async () => {
		const { url } = await pgs.database();
		await versionOneWith(url, 3, (id) => `keep ${id}`);
		const store = await pgs.store(url);
		expect(await store.deleteMessage(2)).toMatchObject({ id: 2, deleted: true, body: '' });
		expect(await withSql(url, (sql) => fillMissingSearchVectors(sql))).toBe(0);
		const found = await store.search('bob', { terms: searchTerms('keep'), limit: 5 });
		expect(found.map((message) => message.id)).toEqual([3, 1]);
	});

	it('writes tsquery lexemes quoted, so a quote, a backslash or an operator stays a plain word', async () => {
		const { url } = await pgs.database();
		await withSql(url, async (sql) => {
			const terms = [
				{ word: "it's", prefix: false },
				{ word: 'a\\b', prefix: true },
				{ word: '&|!', prefix: false },
			];
			const query = toTsquery(terms);
			expect(query).toBe("'it\\'s' & 'a\\\\b':* & '&|!'");
			const [row] = await sql<{ parsed: string; hit: boolean; miss: boolean }[]>`
				SELECT ${query}::tsquery::text AS parsed,
					array_to_tsvector(ARRAY['it''s', 'a\\bc', '&|!']) @@ ${query}::tsquery AS hit,
					array_to_tsvector(ARRAY['it', 's', 'a\\bc', '&|!']) @@ ${query}::tsquery AS miss`;
			expect(row).toEqual({ parsed: "'it''s' & 'a\\\\b':* & '&|!'", hit: true, miss: false });
		});
	});
});
