import { afterEach, describe, expect, it } from 'vitest';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { pendingQuery, queueDepthQuery } from '../../source/storage/sql-messages.js';
import { sendDirect, withUsers } from '../contracts/chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();
const stores: SqlChatStore[] = [];
afterEach(async () => {
	for (const store of stores.splice(0)) await store.close();
});

const plan = (store: SqlChatStore, sql: string, params: (string | number)[] = []) =>
	store.db
		.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params)
		.map((row) => row.detail)
		.join('\n');

describe('the queue queries read only what is queued', () => {
	it('counts the queue depth per user from their cursor, never scanning the messages', async () => {
		const store = await openChatStore(await sandbox.tempDir());
		stores.push(store);
		const text = plan(store, queueDepthQuery);
		expect(text).toContain(
			'SEARCH m USING INDEX messages_direct_by_recipient (recipient=? AND id>?)',
		);
		expect(text).toContain('SEARCH m USING INDEX messages_direct_by_sender (sender=? AND id>?)');
		expect(text).not.toMatch(/SCAN m\b/);
	});

	it('fetches a user’s queue from their cursor on', async () => {
		const store = await openChatStore(await sandbox.tempDir());
		stores.push(store);
		const text = plan(store, pendingQuery, ['ann', 0, 10]);
		expect(text).not.toMatch(/SCAN m\b/);
	});

	it('counts exactly what pending() would deliver, for every user', async () => {
		const store = await openChatStore(await sandbox.tempDir());
		stores.push(store);
		await withUsers(store, ['ann', 'bob', 'cy']);
		const sent = [];
		for (let index = 0; index < 12; index++) {
			const [from, to] = [
				['ann', 'bob'],
				['bob', 'cy'],
				['cy', 'ann'],
				['ann', 'ann'],
			][index % 4]!;
			sent.push(await sendDirect(store, from!, to!, `m${index}`));
		}
		await store.acknowledge('bob', sent[5]!.id);
		await store.acknowledge('ann', sent[2]!.id);
		let expected = 0;
		for (const user of ['ann', 'bob', 'cy']) expected += (await store.pending(user, 0, 100)).length;
		expect(await store.queueDepth()).toBe(expected);
	});
});
