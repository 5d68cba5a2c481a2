import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import type { ChatStore } from '../../source/domain/store.js';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { chatMigrations } from '../../source/storage/schema.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { readableQuery, searchMessages } from '../../source/storage/sql-search.js';
import {
	crew,
	date,
	direct,
	sendDirect,
	sendToGroup,
	withUsers,
} from '../contracts/chat-store-kit.js';
import { expectIndexIntact, useChatStores } from './chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const open = useChatStores();

const find = async (store: ChatStore, user: string, query: string) =>
	(await store.search(user, { terms: searchTerms(query), limit: 50 })).map((m) => m.body);

/** A version 3 database: ann, bob, cy; crew = ann + bob; `count` numbered direct messages plus three more. */
async function writeVersion3(dir: string, count = 0): Promise<void> {
	const v3 = await JournaledDatabase.open({ dir, migrations: chatMigrations.slice(0, 3) });
	v3.write((tx) => {
		for (const name of ['ann', 'bob', 'cy']) {
			tx.run(
				"INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, 'x', ?)",
				[name, name, date],
			);
		}
		tx.run("INSERT INTO groups (name, owner, created_at) VALUES ('crew', 'ann', ?)", [date]);
		tx.run(
			"INSERT INTO members (group_id, user, role) VALUES (1, 'ann', 'owner'), (1, 'bob', 'user')",
		);
		const insert = (
			conversation: string,
			from: string,
			to: string,
			group: string | null,
			body: string,
		) =>
			tx.run(
				`INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
				VALUES (?, ?, ?, ?, ?, ?)`,
				[conversation, from, to, group, body, date],
			);
		insert('d:ann:bob', 'ann', 'bob', null, 'Old café news');
		insert('g:1', 'bob', 'crew', 'crew', 'old crew news 日本語');
		insert('d:ann:cy', 'cy', 'ann', null, 'old news for ann');
		for (let index = 0; index < count; index++) {
			insert('d:ann:bob', 'ann', 'bob', null, `numbered ${index}`);
		}
	});
	await v3.close();
}

const indexedRows = async (store: SqlChatStore) => (await store.searchIndex.stats()).entries;

describe('schema v4: the search index over messages written before it', () => {
	it('makes every message written under version 3 searchable, within who may read it', async () => {
		const dir = await sandbox.tempDir();
		await writeVersion3(dir);
		const store = await open(dir);
		expect(await find(store, 'ann', 'news')).toEqual([
			'old news for ann',
			'old crew news 日本語',
			'Old café news',
		]);
		expect(await find(store, 'bob', 'news')).toEqual(['old crew news 日本語', 'Old café news']);
		expect(await find(store, 'cy', 'news')).toEqual(['old news for ann']);
		expect(await find(store, 'bob', 'café')).toEqual(['Old café news']);
		expect(await find(store, 'ann', '日本語')).toEqual(['old crew news 日本語']);
		// Old messages read like new ones: no reply, never edited, not deleted.
		const [old] = await store.history('d:ann:bob', undefined, 1);
		expect(old).toEqual({ ...direct('ann', 'bob', 'Old café news'), id: 1, replyTo: null });

		const later = await store.appendMessage(direct('bob', 'ann', 'new news'), 'd:ann:bob', null);
		expect(await find(store, 'ann', 'news')).toHaveLength(4);
		expect((await find(store, 'ann', 'news'))[0]).toBe(later.message.body);
		expect(await indexedRows(store)).toBe(4);
	});

	it('after a crash loads the last saved index and brings it up to date, or rebuilds without one', async () => {
		const dir = await sandbox.tempDir();
		await writeVersion3(dir, 7);
		const migrated = await open(dir);
		// Rebuilt from the messages at the migration, then saved as soon as it caught up.
		expect(migrated.searchIndex.opened).toBe('rebuilt');
		await migrated.searchIndex.settled();
		const [first, second] = await migrated.history('d:ann:bob', undefined, 2);
		// Since the checkpoint: an append, an edit, a delete.
		await sendDirect(migrated, 'ann', 'bob', 'numbered 7');
		await migrated.editMessage(first!.id, 'renamed 5', date);
		await migrated.deleteMessage(second!.id);
		await migrated.whenDurable();
		// What kill -9 would leave: the files as they are.
		const crashed = await sandbox.crashImage(dir);
		await migrated.close();

		const expected = [
			'numbered 7',
			'numbered 4',
			'numbered 3',
			'numbered 2',
			'numbered 1',
			'numbered 0',
		];
		const store = await open(crashed);
		expect(store.searchIndex.opened).toBe('loaded');
		expect(await find(store, 'bob', 'numbered')).toEqual(expected);
		expect(await find(store, 'bob', 'renamed')).toEqual(['renamed 5']);
		expect(await indexedRows(store)).toBe(10);
		await expectIndexIntact(store);
		await store.close();

		// Without the index's file the database vouches for, the index is built anew.
		const bare = await sandbox.crashImage(crashed);
		for (const name of readdirSync(bare).filter((each) => each.startsWith('search-index.'))) {
			unlinkSync(join(bare, name));
		}
		const rebuilt = await open(bare);
		expect(rebuilt.searchIndex.opened).toBe('rebuilt');
		expect(await find(rebuilt, 'bob', 'numbered')).toEqual(expected);
		await expectIndexIntact(rebuilt);
	});

	it('takes the candidates by id, never scanning or sorting the messages', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir);
		const plan = store.db
			.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${readableQuery}`, ['[1,2]', null, 'ann'])
			.map((row) => row.detail);
		expect(plan.join('\n')).toMatch(/SEARCH m USING INTEGER PRIMARY KEY \(rowid=\?\)/);
		expect(plan.join('\n')).not.toMatch(/SCAN m\b/);
	});

	it('splits a search over very many scopes into parts and merges them newest first', async () => {
		const store = await open(await sandbox.tempDir());
		await withUsers(store, ['ann', 'bob']);
		const expected: string[] = [];
		for (let index = 0; index < 6; index++) {
			const group = await crew(store, `crew${index}`, index < 5 ? ['ann', 'bob'] : ['bob']);
			await sendToGroup(store, 'bob', group, `hello group ${index}`);
			if (index < 5) expected.unshift(`hello group ${index}`);
			await sendDirect(store, 'bob', 'ann', `hello direct ${index}`);
			expected.unshift(`hello direct ${index}`);
		}
		const terms = searchTerms('hello hel*');
		const search = async (limit: number, maxPhrases?: number) =>
			(await searchMessages(store.db, store.searchIndex, 'ann', { terms, limit }, maxPhrases)).map(
				(m) => m.body,
			);
		// Two terms and two phrases per MATCH: one scope per part, six parts.
		expect(await search(50, 2)).toEqual(expected);
		expect(await search(50)).toEqual(expected);
		expect(await search(3, 2)).toEqual(expected.slice(0, 3));
	});

	it('drops the search entries and read positions of a deleted group', async () => {
		const store = await open(await sandbox.tempDir());
		await withUsers(store, ['ann', 'bob']);
		const group = await crew(store, 'crew', ['ann', 'bob']);
		const sent = await sendToGroup(store, 'bob', group, 'gone with the group');
		await sendDirect(store, 'bob', 'ann', 'stays');
		await store.markRead('ann', `g:${group.id}`, sent.id);
		await store.markRead('ann', 'd:ann:bob', sent.id);
		expect(await indexedRows(store)).toBe(2);
		await store.changeGroup(group.id, (change) => change.delete());
		expect(await indexedRows(store)).toBe(1);
		expect(await find(store, 'bob', 'gone')).toEqual([]);
		expect(store.db.all('SELECT conversation FROM read_positions')).toEqual([
			{ conversation: 'd:ann:bob' },
		]);
	});
});

describe('§7 writes after a crash', () => {
	it('replays edits, deletes, read positions and password changes from the journal', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir);
		await withUsers(store, ['ann', 'bob']);
		await store.createSession({ id: 's-1', user: 'ann', createdAt: 1, lastUsedAt: 1 });
		await store.createSession({ id: 's-2', user: 'ann', createdAt: 1, lastUsedAt: 1 });
		const kept = await sendDirect(store, 'ann', 'bob', 'first words');
		const dropped = await sendDirect(store, 'bob', 'ann', 'second words');
		await store.editMessage(kept.id, 'edited words', date);
		await store.deleteMessage(dropped.id);
		await store.markRead('ann', 'd:ann:bob', dropped.id);
		await store.changePassword('ann', 'new-hash', 's-2');
		await store.whenDurable();

		// What kill -9 would leave: the files as they are, no snapshot taken at close.
		const reopened = await open(await sandbox.crashImage(dir));
		expect(await reopened.history('d:ann:bob', undefined, 10)).toEqual([
			{ ...kept, body: 'edited words', edited: date },
			{ ...dropped, body: '', deleted: true },
		]);
		expect(await find(reopened, 'bob', 'words')).toEqual(['edited words']);
		expect(await find(reopened, 'bob', 'first')).toEqual([]);
		expect(await reopened.pending('ann', 0, 10)).toHaveLength(1);
		expect((await reopened.unread('ann'))[0]).toMatchObject({ lastRead: dropped.id, unread: 0 });
		expect((await reopened.findUser('ann'))?.passwordHash).toBe('new-hash');
		expect(await reopened.findSession('s-1')).toBeUndefined();
		expect(await reopened.findSession('s-2')).toMatchObject({ user: 'ann' });
	});
});
