import { describe, expect, it } from 'vitest';
import type { ChatStore } from '../../source/domain/store.js';
import {
	crew,
	directKey,
	sendDirect,
	sendToGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

/** What `pending` holds for every user, counted the slow way. */
async function pendingEverywhere(store: ChatStore, users: readonly string[]): Promise<number> {
	let total = 0;
	for (const user of users) total += (await store.pending(user, 0, 10_000)).length;
	return total;
}

/** queueDepth and probeWritable: what the metrics and /healthz read. */
export function describeHealth(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('queue depth and the write probe', () => {
		it('counts the queue entries that pending holds, for every user, through acks and deletes', async () => {
			const store = await open();
			const users = ['ann', 'bob', 'cy', 'dee'];
			await withUsers(store, users);
			expect(await store.queueDepth()).toBe(0);
			// Queued for bob and for ann (§7.1).
			const first = await sendDirect(store, 'ann', 'bob', 'one');
			expect(await store.queueDepth()).toBe(2);
			// A message to oneself is queued once.
			await sendDirect(store, 'cy', 'cy', 'note');
			expect(await store.queueDepth()).toBe(3);
			const group = await crew(store, 'crew', ['ann', 'bob', 'dee']);
			const grouped = await sendToGroup(store, 'dee', group, 'hello crew');
			expect(await store.queueDepth()).toBe(6);
			// A repeated Send-Id writes nothing, so queues nothing.
			const again = () =>
				store.appendMessage(
					{ from: 'ann', to: 'bob', group: null, body: 'two', date: first.date },
					directKey('ann', 'bob'),
					null,
					'send-1',
				);
			await again();
			await again();
			expect(await store.queueDepth()).toBe(8);
			expect(await store.queueDepth()).toBe(await pendingEverywhere(store, users));

			// bob's two messages up to the group's; his copy of 'two' (sent later) stays.
			await store.acknowledge('bob', grouped.id);
			expect(await store.queueDepth()).toBe(6);
			// Never pushed again: ann's and dee's copies go.
			await store.deleteMessage(grouped.id);
			expect(await store.queueDepth()).toBe(4);
			expect(await store.queueDepth()).toBe(await pendingEverywhere(store, users));
		});

		it('probes that a write can land, and refuses once the store is closed', async () => {
			const store = await open();
			await expect(store.probeWritable()).resolves.toBeUndefined();
			await Promise.all([store.probeWritable(), store.probeWritable(), store.probeWritable()]);
			await store.close();
			await expect(store.probeWritable()).rejects.toThrow();
		});
	});
}
