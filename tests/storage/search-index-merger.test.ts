import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import { openChatStore, type ChatStoreOptions } from '../../source/storage/open-chat-store.js';
import { SearchIndexMerger } from '../../source/storage/search-index-merger.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { crew, sendDirect, sendToGroup, withUsers } from '../contracts/chat-store-kit.js';
import { useChatStores } from './chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const open = useChatStores();

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Merging only when the test says so, a page per step: many steps even on a small index. */
const manual: ChatStoreOptions = {
	searchIndexMerger: { autoStart: false, pagesPerStep: 1, checkAfterWrites: 1_000_000 },
	searchIndexer: { automatic: false },
};

const segmentCount = (store: SqlChatStore) =>
	[...store.searchIndexMerger.segments().values()].reduce((sum, count) => sum + count, 0);
const mostAtOneLevel = (store: SqlChatStore) =>
	Math.max(0, ...store.searchIndexMerger.segments().values());

const queries = ['hello', 'word7', 'wor*', 'hello word3', 'common', 'zzz'];

/** Every query's results for ann, bob and cy, everywhere and in one group: what must not change. */
async function everyResult(store: SqlChatStore, groupId: number) {
	const results: Record<string, number[]> = {};
	for (const user of ['ann', 'bob', 'cy']) {
		for (const query of queries) {
			const terms = searchTerms(query);
			const everywhere = await store.search(user, { terms, limit: 500 });
			const inGroup = await store.search(user, {
				terms,
				limit: 500,
				conversation: `g:${groupId}`,
			});
			results[`${user} ${query}`] = everywhere.map((message) => message.id);
			results[`${user} ${query} in group`] = inGroup.map((message) => message.id);
		}
	}
	return results;
}

/**
 * ann, bob, cy; a group of ann and bob; `count` messages, each appended and indexed on its own
 * event-loop turn, so each is its own transaction and FTS4 segment (FTS4 itself merges 16 at a
 * level).
 */
async function storeWithSegments(dir: string, count: number, options = manual) {
	const store = await open(dir, options);
	await withUsers(store, ['ann', 'bob', 'cy']);
	const group = await crew(store, 'crew', ['ann', 'bob']);
	for (let index = 0; index < count; index++) {
		const body = `hello word${index % 10} common ${index % 3 === 0 ? 'rare' : ''}`;
		if (index % 3 === 0) await sendToGroup(store, 'bob', group, body);
		else await sendDirect(store, index % 2 ? 'ann' : 'cy', index % 2 ? 'bob' : 'ann', body);
		store.searchIndexer.indexNext();
		await nextTurn();
	}
	return { store, group };
}

describe('SearchIndexMerger', () => {
	it('merges the segments of many appends, one step per turn, and never changes a result', async () => {
		const dir = await sandbox.tempDir();
		const { store, group } = await storeWithSegments(dir, 300);
		const before = segmentCount(store);
		expect(before).toBeGreaterThan(10);
		expect(mostAtOneLevel(store)).toBeGreaterThan(1);
		const expected = await everyResult(store, group.id);
		expect(expected['ann hello']).toHaveLength(300);
		expect(expected['cy hello']!.length).toBeGreaterThan(0);

		const merger = store.searchIndexMerger;
		expect(merger.steps).toBe(0);
		merger.start();
		// start() only schedules: nothing runs on the caller's turn.
		expect(merger.steps).toBe(0);
		const stepsPerTurn: number[] = [];
		let seen = 0;
		while (merger.running) {
			await nextTurn();
			stepsPerTurn.push(merger.steps - seen);
			seen = merger.steps;
			// Half-merged, the index answers exactly as before.
			if (stepsPerTurn.length % 25 === 0)
				expect(await everyResult(store, group.id)).toEqual(expected);
		}
		expect(Math.max(...stepsPerTurn)).toBe(1);
		expect(merger.steps).toBeGreaterThan(1);
		expect(segmentCount(store)).toBeLessThan(before);
		expect(mostAtOneLevel(store)).toBe(1);
		expect(await everyResult(store, group.id)).toEqual(expected);

		// Merged, another start finds nothing to do and writes nothing.
		const records = store.db.stats.records;
		merger.start();
		await merger.whenIdle();
		expect(merger.steps).toBe(seen);
		expect(store.db.stats.records).toBe(records);
	});

	it('journals its steps: a crash image and a reopened store hold the merged index', async () => {
		const dir = await sandbox.tempDir();
		const { store, group } = await storeWithSegments(dir, 120);
		const expected = await everyResult(store, group.id);
		store.searchIndexMerger.start();
		await store.searchIndexMerger.whenIdle();
		const merged = store.searchIndexMerger.segments();
		expect(mostAtOneLevel(store)).toBe(1);
		await store.whenDurable();

		// What kill -9 would leave: no snapshot since, the steps replayed from the journal.
		const crashed = await open(await sandbox.crashImage(dir), manual);
		expect(crashed.searchIndexMerger.segments().size).toBeGreaterThan(0);
		expect(mostAtOneLevel(crashed)).toBe(1);
		expect(await everyResult(crashed, group.id)).toEqual(expected);

		await store.close();
		const reopened = await open(dir, manual);
		expect(reopened.searchIndexMerger.segments()).toEqual(merged);
		expect(await everyResult(reopened, group.id)).toEqual(expected);
	});

	it('starts by itself at open and again every checkAfterWrites index writes', async () => {
		const dir = await sandbox.tempDir();
		const { store } = await storeWithSegments(dir, 60);
		expect(mostAtOneLevel(store)).toBeGreaterThan(1);
		await store.close();

		const automatic = {
			searchIndexMerger: { pagesPerStep: 4, checkAfterWrites: 40, idleMergeMs: 60_000 },
			searchIndexer: { automatic: false },
		};
		const reopened = await open(dir, automatic);
		expect(reopened.searchIndexMerger.running).toBe(true);
		await reopened.searchIndexMerger.whenIdle();
		expect(mostAtOneLevel(reopened)).toBe(1);
		const afterOpen = reopened.searchIndexMerger.steps;
		expect(afterOpen).toBeGreaterThan(0);

		// Each message indexed on its own turn: one index write each.
		for (let index = 0; index < 39; index++) {
			await sendDirect(reopened, 'ann', 'bob', `later ${index}`);
			expect(reopened.searchIndexer.indexNext()).toBe(1);
			await nextTurn();
		}
		expect(reopened.searchIndexMerger.running).toBe(false);
		expect(mostAtOneLevel(reopened)).toBeGreaterThan(1);
		await sendDirect(reopened, 'ann', 'bob', 'the fortieth');
		reopened.searchIndexer.indexNext();
		expect(reopened.searchIndexMerger.running).toBe(true);
		await reopened.searchIndexMerger.whenIdle();
		expect(reopened.searchIndexMerger.steps).toBeGreaterThan(afterOpen);
		// While writes flow, only levels of 4 or more are merged.
		expect(mostAtOneLevel(reopened)).toBeLessThanOrEqual(3);
		const found = await reopened.search('bob', { terms: searchTerms('later'), limit: 100 });
		expect(found).toHaveLength(39);
	});

	it('merges lightly while index writes flow, and fully once they pause', async () => {
		const dir = await sandbox.tempDir();
		const { store } = await storeWithSegments(dir, 10);
		await store.close();
		const options = {
			searchIndexMerger: { pagesPerStep: 4, checkAfterWrites: 1, idleMergeMs: 300 },
			searchIndexer: { automatic: false },
		};
		const reopened = await open(dir, options);
		await reopened.searchIndexMerger.whenIdle();
		expect(mostAtOneLevel(reopened)).toBe(1);
		// Three segments at level 0 on top of the merged one: a light run leaves them.
		for (let index = 0; index < 3; index++) {
			await sendDirect(reopened, 'ann', 'bob', `burst ${index}`);
			reopened.searchIndexer.indexNext();
			await reopened.searchIndexMerger.whenIdle();
		}
		expect(reopened.searchIndexMerger.segments().get(0)).toBeGreaterThanOrEqual(2);
		// The pause: one full run, down to a segment per level.
		await new Promise((resolve) => setTimeout(resolve, 400));
		await reopened.searchIndexMerger.whenIdle();
		expect(mostAtOneLevel(reopened)).toBe(1);
		expect(await reopened.search('bob', { terms: searchTerms('burst'), limit: 10 })).toHaveLength(
			3,
		);
	});

	it('stops on close: no step runs after it, and the closed store reports nothing', async () => {
		const dir = await sandbox.tempDir();
		const { store } = await storeWithSegments(dir, 60);
		store.searchIndexMerger.start();
		await nextTurn();
		await nextTurn();
		expect(store.searchIndexMerger.running).toBe(true);
		const warnings: unknown[] = [];
		const onWarning = (warning: unknown) => warnings.push(warning);
		process.on('warning', onWarning);
		try {
			const closing = store.close();
			const steps = store.searchIndexMerger.steps;
			expect(store.searchIndexMerger.running).toBe(false);
			await store.searchIndexMerger.whenIdle();
			await closing;
			for (let turn = 0; turn < 5; turn++) await nextTurn();
			expect(store.searchIndexMerger.steps).toBe(steps);
			// A stopped merger stays stopped.
			store.searchIndexMerger.start();
			expect(store.searchIndexMerger.running).toBe(false);
		} finally {
			process.off('warning', onWarning);
		}
		expect(warnings).toEqual([]);
	});

	it('refuses a step size or a check interval that is not a positive integer', async () => {
		const store = await open(await sandbox.tempDir(), manual);
		for (const bad of [0, -1, 1.5, Number.NaN]) {
			expect(
				() => new SearchIndexMerger(store.db, { autoStart: false, pagesPerStep: bad }),
			).toThrow(/pagesPerStep must be a positive integer/);
			expect(
				() => new SearchIndexMerger(store.db, { autoStart: false, checkAfterWrites: bad }),
			).toThrow(/checkAfterWrites must be a positive integer/);
		}
		// At open: a clear error, and the folder's database is closed again, whole.
		const dir = await sandbox.tempDir();
		const first = await open(dir);
		await withUsers(first, ['ann']);
		await first.close();
		await expect(openChatStore(dir, { searchIndexMerger: { pagesPerStep: 0 } })).rejects.toThrow(
			/pagesPerStep must be a positive integer; got 0/,
		);
		expect(await (await open(dir)).findUser('ann')).toMatchObject({ name: 'ann' });
	});
});
