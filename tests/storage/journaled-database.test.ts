import { describe, expect, it } from 'vitest';
import { StorageClosedError } from '../../source/storage/journaled-database.js';
import {
	MIGRATIONS,
	fileNames,
	insertItem,
	labels,
	useStorageSandbox,
	type Item,
} from './storage-kit.js';

const sandbox = useStorageSandbox();

describe('JournaledDatabase', () => {
	it('shows a write to reads at once, before it is durable', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const id = insertItem(database, 'first');
		expect(database.get<Item>('SELECT * FROM items WHERE id = ?', [id])).toEqual({
			id,
			label: 'first',
			data: null,
		});
		await database.durable();
	});

	it('keeps data across close and reopen, leaving only a snapshot behind', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		insertItem(database, 'a', new Uint8Array([1, 2, 3]));
		insertItem(database, 'b');
		await database.close();
		expect(await fileNames(dir)).toEqual(['snapshot.db']);

		const reopened = await sandbox.open(dir);
		expect(reopened.all<Item>('SELECT * FROM items ORDER BY id')).toEqual([
			{ id: 1, label: 'a', data: new Uint8Array([1, 2, 3]) },
			{ id: 2, label: 'b', data: null },
		]);
	});

	it('replays the journal when the process dies without closing', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		for (let index = 0; index < 20; index++) insertItem(database, `item ${index}`);
		database.write((tx) => tx.run('UPDATE items SET label = ? WHERE id = ?', ['renamed', 3]));
		database.write((tx) => tx.run('DELETE FROM items WHERE id > ?', [15]));
		await database.durable();

		const recovered = await sandbox.open(await sandbox.crashImage(dir));
		expect(recovered.all('SELECT * FROM items ORDER BY id')).toEqual(
			database.all('SELECT * FROM items ORDER BY id'),
		);
		expect(labels(recovered)[2]).toBe('renamed');
	});

	it('reproduces the same autoincrement ids after replay', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		for (let index = 0; index < 5; index++) insertItem(database, `x${index}`);
		database.write((tx) => tx.run('DELETE FROM items WHERE id >= 4'));
		const next = insertItem(database, 'after delete');
		expect(next).toBe(6);
		await database.durable();

		const recovered = await sandbox.open(await sandbox.crashImage(dir));
		expect(recovered.all('SELECT id, label FROM items ORDER BY id')).toEqual(
			database.all('SELECT id, label FROM items ORDER BY id'),
		);
		expect(insertItem(recovered, 'next')).toBe(7);
	});

	it('recovers a snapshot plus the writes after it', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		insertItem(database, 'before');
		await database.snapshot();
		insertItem(database, 'after');
		await database.durable();
		expect(await fileNames(dir)).toEqual(['journal.1.log', 'snapshot.db']);
		expect(database.stats.snapshots).toBe(1);

		const recovered = await sandbox.open(await sandbox.crashImage(dir));
		expect(labels(recovered)).toEqual(['before', 'after']);
	});

	it('keeps cached statements and pragmas working after a snapshot', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const id = insertItem(database, 'parent');
		await database.snapshot();
		insertItem(database, 'cached statement still works');
		expect(() =>
			database.write((tx) =>
				tx.run('INSERT INTO tags (item_id, tag) VALUES (?, ?)', [999, 'orphan']),
			),
		).toThrow(/FOREIGN KEY/);
		database.write((tx) => tx.run('INSERT INTO tags (item_id, tag) VALUES (?, ?)', [id, 'ok']));
		await database.snapshot();
		database.write((tx) => tx.run('DELETE FROM items WHERE id = ?', [id]));
		expect(database.all('SELECT * FROM tags')).toEqual([]);
	});

	it('rolls back a throwing write and logs nothing', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const records = database.stats.records;
		expect(() =>
			database.write((tx) => {
				tx.run('INSERT INTO items (label) VALUES (?)', ['doomed']);
				throw new Error('changed my mind');
			}),
		).toThrow('changed my mind');
		expect(labels(database)).toEqual([]);
		expect(database.stats.records).toBe(records);
	});

	it('refuses strings that replay could not reproduce (lone surrogates)', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		expect(() => insertItem(database, 'broken \ud800 text')).toThrow(/lone surrogates/);
		expect(labels(database)).toEqual([]);
	});

	it('replays the partial effect of a failed statement the callback caught (OR FAIL)', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		database.write((tx) => tx.run('CREATE TABLE unique_words (word TEXT UNIQUE)'));
		database.write((tx) => tx.run("INSERT INTO unique_words VALUES ('c')"));
		database.write((tx) => {
			expect(() =>
				tx.run(
					"INSERT OR FAIL INTO unique_words SELECT column1 FROM (VALUES ('a'), ('b'), ('c'), ('d'))",
				),
			).toThrow(/UNIQUE/);
			tx.run("INSERT INTO unique_words VALUES ('e')");
		});
		const words = database.all('SELECT word FROM unique_words ORDER BY word');
		expect(words).toEqual([{ word: 'a' }, { word: 'b' }, { word: 'c' }, { word: 'e' }]);
		await database.durable();
		const recovered = await sandbox.open(await sandbox.crashImage(dir));
		expect(recovered.all('SELECT word FROM unique_words ORDER BY word')).toEqual(words);
	});

	it('refuses asynchronous and nested write callbacks', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		expect(() =>
			database.write(async (tx) => tx.run("INSERT INTO items (label) VALUES ('x')")),
		).toThrow(/synchronous/);
		expect(() => database.write(() => database.write(() => 1))).toThrow(/nested/);
		expect(labels(database)).toEqual([]);
	});

	it('rejects a tx used after its write() returned', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const leaked = database.write((tx) => tx);
		expect(() => leaked.run("INSERT INTO items (label) VALUES ('late')")).toThrow(/ended/);
	});

	it('skips logging writes that change nothing', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const records = database.stats.records;
		database.write((tx) => tx.run('UPDATE items SET label = ? WHERE id = ?', ['nobody', 42]));
		database.write((tx) => tx.get('SELECT count(*) AS n FROM items'));
		expect(database.stats.records).toBe(records);
	});

	it('refuses changes through get() or all() outside write()', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		expect(() => database.get("INSERT INTO items (label) VALUES ('sneaky') RETURNING id")).toThrow(
			/only queries/,
		);
		expect(() => database.all('PRAGMA user_version = 7')).toThrow(/only queries/);
		expect(labels(database)).toEqual([]);
	});

	it('journals a changing read inside write(), such as INSERT ... RETURNING', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		const row = database.write((tx) =>
			tx.get<{ id: number }>("INSERT INTO items (label) VALUES ('returned') RETURNING id"),
		);
		expect(row).toEqual({ id: 1 });
		await database.durable();
		expect(labels(await sandbox.open(await sandbox.crashImage(dir)))).toEqual(['returned']);
	});

	it('shares fsyncs among writes issued together (group commit)', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		await database.durable();
		const before = database.stats;
		for (let index = 0; index < 1000; index++) insertItem(database, `burst ${index}`);
		await database.durable();
		const after = database.stats;
		expect(after.records - before.records).toBe(1000);
		expect(after.fsyncs - before.fsyncs).toBeLessThan(50);
	});

	it('resolves durable() promises in the order they were requested', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const order: number[] = [];
		const pending = [];
		for (let index = 0; index < 10; index++) {
			insertItem(database, `ordered ${index}`);
			pending.push(database.durable().then(() => order.push(index)));
		}
		await Promise.all(pending);
		expect(order).toEqual([...Array(10).keys()]);
	});

	it('snapshots on its own once the journal passes snapshotAfterBytes', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir, { snapshotAfterBytes: 4096 });
		for (let index = 0; index < 200; index++)
			insertItem(database, `filler ${index}`.padEnd(100, '.'));
		await database.durable();
		await database.snapshot(); // queued behind the automatic one

		expect(database.stats.snapshots).toBeGreaterThanOrEqual(2);
		expect(await fileNames(dir)).not.toContain('journal.0.log');
		expect(labels(await sandbox.open(await sandbox.crashImage(dir)))).toHaveLength(200);
	});

	it('refuses use after close', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		await database.close();
		expect(() => insertItem(database, 'late')).toThrow(StorageClosedError);
		expect(() => database.all('SELECT 1')).toThrow(StorageClosedError);
	});
});

describe('migrations', () => {
	const seeded = [...MIGRATIONS, { version: 2, up: "INSERT INTO items (label) VALUES ('seed')" }];

	it('applies each migration once', async () => {
		const dir = await sandbox.tempDir();
		const first = await sandbox.open(dir, { migrations: seeded });
		expect(first.get('PRAGMA user_version')).toEqual({ user_version: 2 });
		await first.close();
		const second = await sandbox.open(dir, { migrations: seeded });
		expect(second.get('PRAGMA user_version')).toEqual({ user_version: 2 });
		expect(labels(second)).toEqual(['seed']);
	});

	it('journals migrations, so a crash right after open keeps them', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir, { migrations: seeded });
		await database.durable();
		const recovered = await sandbox.open(await sandbox.crashImage(dir), { migrations: seeded });
		expect(recovered.get('PRAGMA user_version')).toEqual({ user_version: 2 });
		expect(labels(recovered)).toEqual(['seed']);
	});

	it('refuses a database newer than the program', async () => {
		const dir = await sandbox.tempDir();
		await (await sandbox.open(dir, { migrations: seeded })).close();
		await expect(sandbox.open(dir, { migrations: MIGRATIONS })).rejects.toThrow(/newer/);
	});

	it('refuses versions out of order', async () => {
		const dir = await sandbox.tempDir();
		await expect(
			sandbox.open(dir, {
				migrations: [
					{ version: 2, up: '' },
					{ version: 1, up: '' },
				],
			}),
		).rejects.toThrow(/increasing/);
	});
});
