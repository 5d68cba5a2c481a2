import { describe, expect, it } from 'vitest';
import { insertItem, labels, useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();

// Writes of one event-loop turn share an SQLite transaction; a failing write must take back only
// itself, in memory and in the journal.
describe('writes batched in one transaction per turn', () => {
	it('undoes only the write that threw, keeping the turn’s others', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		insertItem(database, 'first');
		expect(() =>
			database.write((tx) => {
				tx.run("INSERT INTO items (label) VALUES ('thrown away')");
				throw new Error('changed my mind');
			}),
		).toThrow('changed my mind');
		insertItem(database, 'second');
		expect(labels(database)).toEqual(['first', 'second']);
		await database.durable();

		const reopened = await sandbox.open(await sandbox.crashImage(dir));
		expect(labels(reopened)).toEqual(['first', 'second']);
	});

	it('keeps a caught statement failure inside a write that then succeeds', async () => {
		const dir = await sandbox.tempDir();
		const database = await sandbox.open(dir);
		const id = insertItem(database, 'kept');
		database.write((tx) => {
			expect(() => tx.run('INSERT INTO items (id, label) VALUES (?, ?)', [id, 'clash'])).toThrow();
			tx.run("INSERT INTO items (label) VALUES ('after the clash')");
		});
		expect(() =>
			database.write((tx) => {
				tx.run("UPDATE items SET label = 'renamed' WHERE id = ?", [id]);
				tx.run('INSERT INTO items (id, label) VALUES (?, ?)', [id, 'clash again']);
			}),
		).toThrow();
		expect(labels(database)).toEqual(['kept', 'after the clash']);
		await database.durable();

		const reopened = await sandbox.open(await sandbox.crashImage(dir));
		expect(labels(reopened)).toEqual(['kept', 'after the clash']);
	});

	it('reads a lazily computed last rowid after the write returns', async () => {
		const database = await sandbox.open(await sandbox.tempDir());
		const first = insertItem(database, 'a');
		const second = insertItem(database, 'b');
		expect(second).toBe(first + 1);
	});
});
