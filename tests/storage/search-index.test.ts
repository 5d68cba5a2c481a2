import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import {
	InThreadBackend,
	type SearchIndexBackend,
} from '../../source/storage/search-index-backend.js';
import type * as Backend from '../../source/storage/search-index-backend.js';
import type { IndexedMessage } from '../../source/storage/search-index-core.js';
import { checkpointFile } from '../../source/storage/search-index-checkpoints.js';
import { matchExpression } from '../../source/storage/sql-search.js';
import { userScope } from '../../source/storage/search-document.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { crew, date, sendDirect, sendToGroup, withUsers } from '../contracts/chat-store-kit.js';
import { expectIndexIntact, useChatStores } from './chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const open = useChatStores();

// The worker runs compiled JavaScript: this suite takes it from the build in dist/ (global setup).
const built = (await import(
	pathToFileURL(resolve('dist/source/storage/search-index-backend.js')).href
)) as typeof Backend;

const backends: [string, () => SearchIndexBackend][] = [
	['in-thread', () => new InThreadBackend()],
	['worker thread', () => new built.WorkerBackend()],
];

const message = (id: number, body: string, sender = 'ann', recipient = 'bob'): IndexedMessage => ({
	id,
	conversation: `d:${sender}:${recipient}`,
	sender,
	recipient,
	group: null,
	body,
});

const annSees = (word: string) => [matchExpression(searchTerms(word), [userScope('ann')])];

describe.each(backends)('the search index seam: %s', (_name, start) => {
	it('adds, takes out and finds messages newest first, below an id, a page at a time', async () => {
		const index = start();
		try {
			expect(await index.request({ kind: 'open', path: '/nonexistent', token: null })).toEqual({
				loaded: false,
				through: 0,
			});
			const messages = [1, 2, 3, 4, 5].map((id) => message(id, `hello number ${id}`));
			await index.request({ kind: 'apply', changes: [{ kind: 'add', messages, through: 7 }] });
			const search = (word: string, before = 100, limit = 10) =>
				index.request({ kind: 'search', expressions: annSees(word), before, limit });
			expect(await search('hello')).toEqual([5, 4, 3, 2, 1]);
			expect(await search('hello', 4, 2)).toEqual([3, 2]);
			expect(await search('number')).toEqual([5, 4, 3, 2, 1]);
			expect(await search('nowhere')).toEqual([]);
			// An edit: out with the words as indexed, in with the new ones.
			await index.request({
				kind: 'apply',
				changes: [
					{ kind: 'remove', messages: [messages[2]!] },
					{ kind: 'add', messages: [message(3, 'goodbye')], through: 0 },
				],
			});
			expect(await search('hello')).toEqual([5, 4, 2, 1]);
			expect(await search('goodbye')).toEqual([3]);
			expect(await index.request({ kind: 'stats' })).toMatchObject({ through: 7, entries: 5 });
			await index.request({
				kind: 'verify',
				messages: [
					message(1, 'hello number 1'),
					message(2, 'hello number 2'),
					message(3, 'goodbye'),
				].concat([4, 5].map((id) => message(id, `hello number ${id}`))),
			});
			// The check fails on an index that differs from the messages given.
			await expect(
				index.request({ kind: 'verify', messages: messages.slice(0, 4) }),
			).rejects.toThrow();
		} finally {
			await index.close();
		}
	});

	it('loads a saved index only with the token it was saved with', async () => {
		const path = checkpointFile(await sandbox.tempDir(), 1);
		const first = start();
		await first.request({ kind: 'open', path, token: null });
		await first.request({
			kind: 'apply',
			changes: [{ kind: 'add', messages: [message(1, 'kept words')], through: 1 }],
		});
		await first.request({ kind: 'save', path, token: 'token-1' });
		await first.close();

		const second = start();
		try {
			expect(await second.request({ kind: 'open', path, token: 'token-1' })).toEqual({
				loaded: true,
				through: 1,
			});
			const found = { kind: 'search', expressions: annSees('kept'), before: 10, limit: 5 } as const;
			expect(await second.request(found)).toEqual([1]);
			// Another token (the database was written after this file): start empty.
			expect(await second.request({ kind: 'open', path, token: 'token-2' })).toEqual({
				loaded: false,
				through: 0,
			});
			expect(await second.request(found)).toEqual([]);
		} finally {
			await second.close();
		}
	});

	it('answers a bad request with an error and goes on', async () => {
		const index = start();
		try {
			await expect(
				index.request({ kind: 'search', expressions: ['x'], before: 1, limit: 1 }),
			).rejects.toThrow(/not open/);
			await index.request({ kind: 'open', path: '/nonexistent', token: null });
			await expect(
				index.request({ kind: 'search', expressions: ['"unbalanced'], before: 9, limit: 1 }),
			).rejects.toThrow(/malformed MATCH/);
			expect(
				await index.request({ kind: 'search', expressions: annSees('x'), before: 9, limit: 1 }),
			).toEqual([]);
		} finally {
			await index.close();
		}
	});
});

const find = async (store: SqlChatStore, user: string, query: string) =>
	(await store.search(user, { terms: searchTerms(query), limit: 100 })).map((m) => m.body).sort();

describe('SearchIndexHost', () => {
	it('edits and deletes, sent or still to be read back: only the newest words of live messages match', async () => {
		const store = await open(await sandbox.tempDir(), { searchIndex: { maxUnapplied: 1 } });
		await withUsers(store, ['ann', 'bob']);
		const group = await crew(store, 'crew', ['ann', 'bob']);
		// With at most one entry in flight the host keeps falling back to reading messages back.
		const sent = [];
		for (let index = 0; index < 40; index++) {
			sent.push(await sendDirect(store, 'ann', 'bob', `alpha original ${index}`));
			sent.push(await sendToGroup(store, 'bob', group, `beta original ${index}`));
		}
		for (const [index, each] of sent.entries()) {
			if (index % 3 === 0) await store.editMessage(each.id, `edited ${index}`, date);
			if (index % 5 === 0) await store.deleteMessage(each.id);
		}
		await expectIndexIntact(store);
		const kept = (index: number) => index % 5 !== 0;
		expect(await find(store, 'bob', 'edited')).toHaveLength(
			sent.filter((_, index) => index % 3 === 0 && kept(index)).length,
		);
		expect(await find(store, 'bob', 'original')).toHaveLength(
			sent.filter((_, index) => index % 3 !== 0 && kept(index)).length,
		);
	});

	it('keeps the index equal to the messages through any appends, edits, deletes, closes and crashes', async () => {
		const operation = fc.oneof(
			fc.record({
				kind: fc.constant('send' as const),
				word: fc.constantFrom('red', 'green', '\uFEFFred'),
			}),
			fc.record({
				kind: fc.constant('edit' as const),
				pick: fc.nat(),
				word: fc.constantFrom('blue', 'red'),
			}),
			fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
			fc.record({ kind: fc.constant('close' as const) }),
			fc.record({ kind: fc.constant('crash' as const) }),
		);
		await fc.assert(
			fc.asyncProperty(fc.array(operation, { maxLength: 25 }), async (operations) => {
				let dir = await sandbox.tempDir();
				// A checkpoint every few entries, so crashes land between them with changes remembered.
				const options = { searchIndex: { checkpointAfterEntries: 3 } };
				let store = await open(dir, options);
				await withUsers(store, ['ann', 'bob']);
				const words = new Map<number, string>();
				for (const step of operations) {
					const ids = [...words.keys()];
					if (step.kind === 'send') {
						const sent = await sendDirect(store, 'ann', 'bob', `${step.word} thing`);
						words.set(sent.id, step.word);
					} else if (step.kind === 'edit' && ids.length > 0) {
						const id = ids[step.pick % ids.length]!;
						await store.editMessage(id, `a ${step.word} thing`, date);
						words.set(id, step.word);
					} else if (step.kind === 'delete' && ids.length > 0) {
						const id = ids[step.pick % ids.length]!;
						await store.deleteMessage(id);
						words.delete(id);
					} else if (step.kind === 'close') {
						await store.close();
						store = await open(dir, options);
						expect(store.searchIndex.opened).toBe('loaded');
					} else if (step.kind === 'crash') {
						await store.whenDurable();
						const image = await sandbox.crashImage(dir);
						await store.close();
						dir = image;
						store = await open(dir, options);
					}
				}
				await expectIndexIntact(store);
				for (const word of ['red', 'green', 'blue']) {
					// A leading U+FEFF is no part of a word (search-words.ts).
					const expected = [...words.values()].filter(
						(each) => each.replace('\uFEFF', '') === word,
					).length;
					expect(await find(store, 'bob', word)).toHaveLength(expected);
				}
				await store.close();
			}),
			{ numRuns: 15 },
		);
	});

	it('goes on indexing when bursts put it behind while it catches up', async () => {
		// The worker thread, so that applying takes real time and bursts land meanwhile.
		const store = await open(await sandbox.tempDir(), {
			searchIndex: { maxUnapplied: 10 },
			searchIndexBackend: () => new built.WorkerBackend(),
		});
		await withUsers(store, ['ann', 'bob']);
		let sent = 0;
		for (let round = 0; round < 30; round++) {
			// Each burst lands in one turn, beyond what may wait unapplied.
			for (let index = 0; index < 40; index++) {
				void sendDirect(store, 'ann', 'bob', `burst ${round} ${index}`);
				sent++;
			}
			await new Promise((resolve) => setTimeout(resolve, round % 3));
		}
		await sendDirect(store, 'bob', 'ann', 'after the bursts');
		expect(await find(store, 'ann', 'after')).toEqual(['after the bursts']);
		expect((await store.searchIndex.stats()).entries).toBe(sent + 1);
		await expectIndexIntact(store);
	});

	it('rebuilds from the messages when the saved file is damaged', async () => {
		const dir = await sandbox.tempDir();
		const store = await open(dir);
		await withUsers(store, ['ann', 'bob']);
		await sendDirect(store, 'ann', 'bob', 'survives damage');
		await store.close();
		const [file] = readdirSync(dir).filter((name) => name.startsWith('search-index.'));
		writeFileSync(join(dir, file!), 'not a database');
		const reopened = await open(dir);
		expect(reopened.searchIndex.opened).toBe('rebuilt');
		expect(await find(reopened, 'bob', 'damage')).toEqual(['survives damage']);
		await expectIndexIntact(reopened);
	});

	it('merges the index to one segment a level once settled', async () => {
		const store = await open(await sandbox.tempDir(), {
			searchIndexMerge: { idleMergeMs: 60_000 },
		});
		await withUsers(store, ['ann', 'bob']);
		// One transaction, one segment, per turn's batch.
		for (let index = 0; index < 40; index++) {
			await sendDirect(store, 'ann', 'bob', `segment ${index}`);
			await store.searchIndex.applied();
		}
		await store.searchIndex.settled();
		const { segments } = await store.searchIndex.stats();
		expect(segments.length).toBeGreaterThan(0);
		for (const [, count] of segments) expect(count).toBe(1);
		expect(await find(store, 'ann', 'segment')).toHaveLength(40);
	});

	it('a failed index fails searches with a clear error; messages are still stored', async () => {
		const store = await open(await sandbox.tempDir());
		await withUsers(store, ['ann', 'bob']);
		await sendDirect(store, 'ann', 'bob', 'before the failure');
		// The index's backend ends under the store (as a crashed thread would).
		await (store.searchIndex as unknown as { backend: SearchIndexBackend }).backend.close();
		await sendDirect(store, 'ann', 'bob', 'after the failure');
		await expect(find(store, 'bob', 'failure')).rejects.toThrow(/search index/);
		expect(await store.history('d:ann:bob', undefined, 10)).toHaveLength(2);
	});
});
