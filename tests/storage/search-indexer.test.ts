import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { openChatStore, type ChatStoreOptions } from '../../source/storage/open-chat-store.js';
import { chatMigrations } from '../../source/storage/schema.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { crew, direct, sendDirect, sendToGroup, withUsers } from '../contracts/chat-store-kit.js';
import { expectIndexIntact, useChatStores } from './chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const open = useChatStores();

const manual: ChatStoreOptions = { searchIndexer: { automatic: false } };

const find = async (store: SqlChatStore, user: string, query: string) =>
	(await store.search(user, { terms: searchTerms(query), limit: 100 })).map((m) => m.body).sort();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SearchIndexer', () => {
	it('indexes new messages behind the appends, and a search finds them at once anyway', async () => {
		const store = await open(await sandbox.tempDir(), {
			searchIndexer: { delayMs: 30, batchSize: 500 },
		});
		await withUsers(store, ['ann', 'bob']);
		for (let index = 0; index < 10; index++) await sendDirect(store, 'ann', 'bob', `news ${index}`);
		// The appends wrote no index entry: the indexer waits to take them in one batch.
		expect(store.searchIndexer.backlog).toBe(10);
		expect(store.searchIndexer.indexedThrough).toBe(0);
		await new Promise((resolve) => setTimeout(resolve, 120));
		expect(store.searchIndexer.backlog).toBe(0);
		expect(await find(store, 'bob', 'news')).toHaveLength(10);

		// A search right after a send sees it: it indexes what waits first.
		await sendDirect(store, 'bob', 'ann', 'fresh news');
		expect(store.searchIndexer.backlog).toBe(1);
		expect(await find(store, 'ann', 'fresh')).toEqual(['fresh news']);
		expect(store.searchIndexer.backlog).toBe(0);
		expectIndexIntact(store);
	});

	it('edits and deletes before and after indexing: only the newest words of live messages match', async () => {
		const store = await open(await sandbox.tempDir(), manual);
		await withUsers(store, ['ann', 'bob']);
		const group = await crew(store, 'crew', ['ann', 'bob']);
		const early = await sendDirect(store, 'ann', 'bob', 'alpha original');
		const gone = await sendToGroup(store, 'bob', group, 'beta original');
		await store.searchIndexer.catchUp();
		const late = await sendDirect(store, 'ann', 'bob', 'gamma original');
		const lateGone = await sendToGroup(store, 'ann', group, 'delta original');
		// Two indexed, two not yet: each edited or deleted.
		await store.editMessage(early.id, 'alpha edited', '2026-12-03T10:00:00.000Z');
		await store.deleteMessage(gone.id);
		await store.editMessage(late.id, 'gamma edited', '2026-12-03T10:00:00.000Z');
		await store.deleteMessage(lateGone.id);
		expectIndexIntact(store);
		expect(await find(store, 'bob', 'original')).toEqual([]);
		expect(await find(store, 'bob', 'edited')).toEqual(['alpha edited', 'gamma edited']);
		expect(await find(store, 'ann', 'beta')).toEqual([]);
		expect(await find(store, 'ann', 'delta')).toEqual([]);
		expectIndexIntact(store);
		// Edited again once indexed.
		await store.editMessage(late.id, 'gamma final', '2026-12-03T11:00:00.000Z');
		expect(await find(store, 'ann', 'gamma')).toEqual(['gamma final']);
		expectIndexIntact(store);
	});

	it('after a crash, goes on from the last batch that committed and indexes each message once', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir, { searchIndexer: { automatic: false, batchSize: 7 } });
		await withUsers(store, ['ann', 'bob']);
		for (let index = 0; index < 20; index++) await sendDirect(store, 'ann', 'bob', `item ${index}`);
		expect(store.searchIndexer.indexNext()).toBe(7);
		expect(store.searchIndexer.indexNext()).toBe(7);
		await store.whenDurable();
		const crashed = await open(await sandbox.crashImage(dir), manual);
		expect(crashed.searchIndexer.indexedThrough).toBe(14);
		expect(crashed.searchIndexer.backlog).toBe(6);
		expect(await find(crashed, 'bob', 'item')).toHaveLength(20);
		expectIndexIntact(crashed);
	});

	it('catches up on a long backlog a batch per turn, so other work goes on meanwhile', async () => {
		const store = await open(await sandbox.tempDir(), {
			searchIndexer: { automatic: false, batchSize: 50 },
		});
		await withUsers(store, ['ann', 'bob']);
		for (let index = 0; index < 1000; index++)
			store.appendMessage(direct('ann', 'bob', `m ${index}`), 'd:ann:bob', null);
		let turns = 0;
		let counting = true;
		const count = () => {
			if (!counting) return;
			turns++;
			setImmediate(count);
		};
		setImmediate(count);
		expect(await find(store, 'bob', 'm')).toHaveLength(100);
		counting = false;
		expect(store.searchIndexer.backlog).toBe(0);
		// 20 batches: the first few at once, then one per turn.
		expect(turns).toBeGreaterThanOrEqual(10);
	});

	it('upgrades a version 5 database: the index is rebuilt from the messages, without copies of them', async () => {
		const dir = await sandbox.tempDir();
		const v5 = await JournaledDatabase.open({ dir, migrations: chatMigrations.slice(0, 5) });
		v5.write((tx) => {
			for (const name of ['ann', 'bob']) {
				tx.run(
					'INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
					[name, name, 'x', '2026-01-01T00:00:00.000Z'],
				);
			}
			for (let index = 0; index < 30; index++) {
				tx.run(
					`INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
					VALUES ('d:ann:bob', 'ann', 'bob', NULL, ?, '2026-01-01T00:00:00.000Z')`,
					[`before the upgrade ${index}`],
				);
				// Version 5 indexed at append, keeping a copy of each document.
				tx.run("INSERT INTO message_words (docid, words) VALUES (last_insert_rowid(), 'stale')");
			}
		});
		await v5.close();
		const store = await open(dir);
		expect(
			store.db.get("SELECT name FROM sqlite_master WHERE name = 'message_words_content'"),
		).toBeUndefined();
		expect(
			store.db.get("SELECT name FROM sqlite_master WHERE name = 'search_backfill'"),
		).toBeUndefined();
		expect(store.searchIndexer.backlog).toBe(30);
		expect(await find(store, 'bob', 'upgrade')).toHaveLength(30);
		expect(await find(store, 'bob', 'stale')).toEqual([]);
		expectIndexIntact(store);
	});

	it('refuses a batch size that is not a positive integer', async () => {
		for (const batchSize of [0, -1, 2.5]) {
			await expect(
				openChatStore(await sandbox.tempDir(), { searchIndexer: { batchSize } }),
			).rejects.toThrow(/batchSize must be a positive integer/);
		}
	});

	it('any mix of appends, edits, deletes, batches and crashes: search equals the model', async () => {
		type Step =
			| { kind: 'send'; word: number }
			| { kind: 'edit'; pick: number; word: number }
			| { kind: 'delete'; pick: number }
			| { kind: 'batch' }
			| { kind: 'crash' };
		const step = fc.oneof(
			fc.record({ kind: fc.constant('send' as const), word: fc.nat(5) }),
			fc.record({ kind: fc.constant('edit' as const), pick: fc.nat(), word: fc.nat(5) }),
			fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('batch' as const) }),
			fc.record({ kind: fc.constant('crash' as const) }),
		);
		await fc.assert(
			fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps: Step[]) => {
				let dir = await sandbox.tempDir();
				const options = { searchIndexer: { automatic: false, batchSize: 3 } };
				let store = await open(dir, options);
				await withUsers(store, ['ann', 'bob']);
				const live = new Map<number, string>();
				for (const next of steps) {
					const ids = [...live.keys()];
					if (next.kind === 'send') {
						const sent = await sendDirect(store, 'ann', 'bob', `w${next.word} x`);
						live.set(sent.id, `w${next.word}`);
					} else if (next.kind === 'edit' && ids.length > 0) {
						const id = ids[next.pick % ids.length]!;
						await store.editMessage(id, `w${next.word} x`, '2026-12-03T10:00:00.000Z');
						live.set(id, `w${next.word}`);
					} else if (next.kind === 'delete' && ids.length > 0) {
						const id = ids[next.pick % ids.length]!;
						await store.deleteMessage(id);
						live.delete(id);
					} else if (next.kind === 'batch') {
						store.searchIndexer.indexNext();
					} else if (next.kind === 'crash') {
						await store.whenDurable();
						dir = await sandbox.crashImage(dir);
						store = await open(dir, options);
					}
				}
				expectIndexIntact(store);
				for (let word = 0; word <= 5; word++) {
					const found = await store.search('bob', { terms: searchTerms(`w${word}`), limit: 100 });
					const expected = [...live].filter(([, text]) => text === `w${word}`).map(([id]) => id);
					expect(found.map((m) => m.id).sort((a, b) => a - b)).toEqual(expected);
				}
				expectIndexIntact(store);
				await nextTurn();
			}),
			{ numRuns: 40 },
		);
	});
});
