import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { DomainError, forbidden } from '../../../source/domain/errors.js';
import { hashSessionId } from '../../../source/domain/secrets.js';
import { crew, date, direct, toGroup, withUsers } from '../../contracts/chat-store-kit.js';
import { pg, usePostgres } from './postgres-kit.js';
import { captureLog } from '../../helpers/log-capture.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `sql` on the database directly, beside the stores. */
async function query<T extends object>(url: string, text: string): Promise<T[]> {
	const sql = postgres(url, { max: 1, onnotice: () => undefined });
	try {
		return [...(await sql.unsafe<T[]>(text))];
	} finally {
		await sql.end();
	}
}

/** Several nodes on one database: each test opens stores as separate "nodes" (own pools). */
describe.skipIf(!pg.available)('PostgresChatStore: several nodes on one database', () => {
	const pgs = usePostgres();

	it('applies the migrations once when nodes start together, and not again later', async () => {
		const { url } = await pgs.database();
		const { log, messages: lines } = captureLog();
		await Promise.all([1, 2, 3].map(() => pgs.store(url, { log })));
		expect(lines).toEqual([
			'postgres: applied schema version 1',
			'postgres: applied schema version 2',
			'postgres: applied schema version 3',
			'postgres: applied schema version 4',
		]);
		expect(await query(url, 'SELECT version FROM schema_migrations ORDER BY version')).toEqual([
			{ version: 1 },
			{ version: 2 },
			{ version: 3 },
			{ version: 4 },
		]);
		await pgs.store(url, { log });
		expect(lines).toHaveLength(4);
	});

	it('refuses a database written by a newer KoriChat', async () => {
		const { url } = await pgs.database();
		await pgs.store(url);
		await query(url, 'INSERT INTO schema_migrations (version) VALUES (99)');
		await expect(pgs.store(url)).rejects.toThrow(/schema version 99.*newer KoriChat/);
	});

	it('lets exactly one node claim a name, whether as a user or a group', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['owner']);
		const names = Array.from({ length: 30 }, (_, index) => `name${index}`);
		const claims = await Promise.all(
			names.flatMap((name, index) => [
				a.createUser({ name, displayName: name, passwordHash: 'a', createdAt: date }),
				index % 2 === 0
					? b.createUser({ name, displayName: name, passwordHash: 'b', createdAt: date })
					: b.createGroup(name, 'owner', date).then((group) => group !== undefined),
			]),
		);
		for (let index = 0; index < names.length; index++) {
			expect(claims[2 * index]! !== claims[2 * index + 1]!).toBe(true);
		}
		const taken = await query<{ n: string }>(url, 'SELECT COUNT(*)::text AS n FROM names');
		expect(taken).toEqual([{ n: String(names.length + 1) }]);
	});

	it('loses no update when two nodes change one group at once', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['ann', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
		const group = await crew(a, 'crew', ['ann']);
		const addNext = (store: typeof a) =>
			store.changeGroup(group.id, async (change) => {
				const count = (await change.members()).length;
				await sleep(15);
				await change.put([{ user: `m${count}`, role: 'user' }]);
			});
		await Promise.all([a, b, a, b, a, b].map(addNext));
		expect((await b.membersOf(group.id)).map((m) => m.user)).toEqual([
			'ann',
			'm1',
			'm2',
			'm3',
			'm4',
			'm5',
			'm6',
		]);
	});

	it('rolls back every write of a change that throws', async () => {
		const { url } = await pgs.database();
		const store = await pgs.store(url);
		await withUsers(store, ['ann', 'bob']);
		const group = await crew(store, 'crew', ['ann']);
		const refused = store.changeGroup(group.id, async (change) => {
			await change.put([{ user: 'bob', role: 'admin' }]);
			await change.delete();
			throw forbidden('changed my mind');
		});
		await expect(refused).rejects.toThrow('changed my mind');
		expect(await store.findGroup('crew')).toEqual(group);
		expect(await store.membersOf(group.id)).toEqual([{ user: 'ann', role: 'owner' }]);
	});

	it('finishes a burst of group changes that read through the pool meanwhile', async () => {
		const { url } = await pgs.database();
		const store = await pgs.store(url, { max: 3 });
		const users = Array.from({ length: 8 }, (_, index) => `u${index}`);
		await withUsers(store, users);
		const groups = await Promise.all(users.map((user) => crew(store, `g-${user}`, [user])));
		// As Groups.add does: inside the change, look the invitee up through the store.
		const changed = groups.map((group, index) =>
			store.changeGroup(group.id, async (change) => {
				const invitee = users[(index + 1) % users.length]!;
				expect(await store.roleOf(group.id, invitee)).toBeUndefined();
				await change.put([{ user: invitee, role: 'user' }]);
			}),
		);
		await Promise.all(changed);
		expect((await store.groupsOf('u0')).map((g) => g.group.name)).toEqual(['g-u0', 'g-u7']);
	});

	it('keeps only the hash of a session id', async () => {
		const { url } = await pgs.database();
		const store = await pgs.store(url);
		await withUsers(store, ['ann']);
		await store.createSession({ id: 'the-secret', user: 'ann', createdAt: 1, lastUsedAt: 1 });
		const rows = await query<{ id_hash: string }>(url, 'SELECT id_hash FROM sessions');
		expect(rows).toEqual([{ id_hash: hashSessionId('the-secret') }]);
	});

	it('refuses a group message racing the deletion of its group on another node', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['ann', 'bob']);
		const group = await crew(a, 'crew', ['ann', 'bob']);
		let deleted!: () => void;
		const isDeleted = new Promise<void>((resolve) => (deleted = resolve));
		const deleting = a.changeGroup(group.id, async (change) => {
			await change.delete();
			deleted();
			await sleep(300);
		});
		await isDeleted;
		const sent = b.appendMessage(toGroup('ann', 'crew', 'late'), `g:${group.id}`, group.id);
		await deleting;
		await expect(sent).rejects.toBeInstanceOf(DomainError);
		expect(await b.history(`g:${group.id}`, undefined, 10)).toEqual([]);
		expect(await b.lastMessageId()).toBe(0);
		expect(
			(await b.appendMessage(direct('ann', 'bob', 'next'), 'd:ann:bob', null)).message.id,
		).toBe(1);
	});
});
