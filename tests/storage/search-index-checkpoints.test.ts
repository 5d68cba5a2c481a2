import { afterEach, describe, expect, it } from 'vitest';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { chatMigrations } from '../../source/storage/schema.js';
import type { IndexedMessage } from '../../source/storage/search-index-core.js';
import { SearchIndexCheckpoints } from '../../source/storage/search-index-checkpoints.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const databases: JournaledDatabase[] = [];
afterEach(async () => {
	for (const db of databases.splice(0)) await db.close().catch(() => undefined);
});

async function chatDatabase(dir?: string): Promise<JournaledDatabase> {
	const db = await JournaledDatabase.open({
		dir: dir ?? (await sandbox.tempDir()),
		migrations: chatMigrations,
	});
	databases.push(db);
	return db;
}

const message = (id: number, body: string): IndexedMessage => ({
	id,
	conversation: 'd:ann:bob',
	sender: 'ann',
	recipient: 'bob',
	group: null,
	body,
});

describe('SearchIndexCheckpoints', () => {
	it('remembers the first change of each message a checkpoint holds, for it and for one being written', async () => {
		const db = await chatDatabase();
		const checkpoints = new SearchIndexCheckpoints(db);
		const first = checkpoints.begin(10);
		checkpoints.commit(first);
		db.write((tx) => checkpoints.remember(tx, [message(3, 'as saved'), message(11, 'too new')]));
		db.write((tx) => checkpoints.remember(tx, [message(3, 'edited once')]));
		const second = checkpoints.begin(20);
		db.write((tx) => checkpoints.remember(tx, [message(3, 'edited twice'), message(12, 'new')]));
		// The committed checkpoint still reads its own file's text.
		expect(checkpoints.changedSince().map((each) => each.body)).toEqual(['as saved']);
		checkpoints.commit(second);
		expect(checkpoints.current).toMatchObject({ generation: 2, through: 20 });
		expect(checkpoints.changedSince().map((each) => [each.id, each.body])).toEqual([
			[3, 'edited twice'],
			[12, 'new'],
		]);
		// Only what the current checkpoint needs is kept.
		expect(db.all('SELECT DISTINCT generation FROM search_index_changes')).toEqual([
			{ generation: 2 },
		]);
	});

	it('forgets what a checkpoint that never committed remembered, before its number is used again', async () => {
		const db = await chatDatabase();
		const checkpoints = new SearchIndexCheckpoints(db);
		checkpoints.commit(checkpoints.begin(10));
		const lost = checkpoints.begin(10);
		db.write((tx) => checkpoints.remember(tx, [message(4, 'text of the lost attempt')]));
		await db.durable();

		// A crash while `lost` was being written: the database vouches for generation 1 still.
		const image = await sandbox.crashImage(db.dir);
		const reopened = await chatDatabase(image);
		const again = new SearchIndexCheckpoints(reopened);
		expect(again.current?.generation).toBe(1);
		expect(again.changedSince().map((each) => each.body)).toEqual(['text of the lost attempt']);
		again.discardUncommitted();
		const retry = again.begin(10);
		expect(retry.generation).toBe(lost.generation);
		reopened.write((tx) => again.remember(tx, [message(4, 'text in the new file')]));
		again.commit(retry);
		expect(again.changedSince().map((each) => each.body)).toEqual(['text in the new file']);
	});

	it('abandons a checkpoint whose file could not be written, and resets to none', async () => {
		const db = await chatDatabase();
		const checkpoints = new SearchIndexCheckpoints(db);
		const kept = checkpoints.begin(5);
		checkpoints.commit(kept);
		const failed = checkpoints.begin(9);
		db.write((tx) => checkpoints.remember(tx, [message(2, 'before')]));
		checkpoints.abandon(failed);
		expect(checkpoints.current).toEqual(kept);
		expect(checkpoints.changedSince().map((each) => each.body)).toEqual(['before']);
		checkpoints.reset();
		expect(checkpoints.current).toBeUndefined();
		expect(db.all('SELECT * FROM search_index_changes')).toEqual([]);
		expect(new SearchIndexCheckpoints(db).current).toBeUndefined();
	});
});
