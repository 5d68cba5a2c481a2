import { describe, expect, it } from 'vitest';
import type { ChatStore } from '../../../source/domain/store.js';
import { crew, direct, toGroup, withUsers } from '../../contracts/chat-store-kit.js';
import { door, pg, usePostgres } from './postgres-kit.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads like the delivery pump: pending after the last id seen, then a cumulative ACK of it.
 * Fails if a read ever shows an id before every smaller one (all messages here go to `user`).
 */
function pump(store: ChatStore, user: string) {
	const seen: number[] = [];
	let stopped = false;
	const running = (async () => {
		while (!stopped) {
			const last = seen.at(-1) ?? 0;
			const batch = await store.pending(user, last, 50);
			batch.forEach((message, index) => {
				if (message.id !== last + index + 1) {
					throw new Error(`saw id ${message.id} after ${last + index}: a gap was visible`);
				}
			});
			seen.push(...batch.map((message) => message.id));
			if (batch.length > 0) await store.acknowledge(user, seen.at(-1)!);
			else await sleep(1);
		}
	})();
	return {
		seen,
		/** Resolves once `count` ids were seen; rejects as soon as the pump saw a gap. */
		async until(count: number) {
			while (seen.length < count) await Promise.race([sleep(5), running]);
		},
		async stop() {
			stopped = true;
			await running;
		},
	};
}

describe.skipIf(!pg.available)('PostgresChatStore: ids commit in order across nodes', () => {
	const pgs = usePostgres();

	it('makes a second node wait for the first one to commit, so no id is visible early', async () => {
		const { url } = await pgs.database();
		const held = door();
		const a = await pgs.store(url, { beforeCommit: held.beforeCommit });
		const b = await pgs.store(url);
		const reader = await pgs.store(url);
		await withUsers(a, ['ann', 'bob']);

		held.shut();
		const reached = held.reached();
		const first = a.appendMessage(direct('ann', 'bob', 'from node a'), 'd:ann:bob', null);
		await reached;
		let secondDone = false;
		const second = b
			.appendMessage(direct('ann', 'bob', 'from node b'), 'd:ann:bob', null)
			.finally(() => (secondDone = true));
		await sleep(200);
		// Node b cannot take an id while node a holds the counter: nothing is visible yet.
		expect(secondDone).toBe(false);
		expect(await reader.pending('bob', 0, 10)).toEqual([]);
		expect(await reader.lastMessageId()).toBe(0);

		held.open();
		const ids = [(await first).message.id, (await second).message.id];
		expect(ids).toEqual([1, 2]);
		expect((await reader.pending('bob', 0, 10)).map((m) => m.body)).toEqual([
			'from node a',
			'from node b',
		]);
	});

	it('never shows a reader id N before every smaller id, nor drops one with a cumulative ACK', async () => {
		const { url } = await pgs.database();
		// Node a holds some of its transactions open for a while before COMMIT.
		let turn = 0;
		const a = await pgs.store(url, {
			beforeCommit: () => sleep(turn++ % 3 === 0 ? 15 : 0),
		});
		const b = await pgs.store(url);
		const reader = await pgs.store(url);
		await withUsers(a, ['ann', 'bob', 'cy']);
		const group = await crew(a, 'crew', ['cy', 'ann', 'bob']);
		const delivery = pump(reader, 'bob');

		const perNode = 150;
		const send = (store: ChatStore, node: string, index: number) =>
			index % 4 === 0
				? store.appendMessage(toGroup('cy', 'crew', `${node}${index}`), `g:${group.id}`, group.id)
				: store.appendMessage(direct('ann', 'bob', `${node}${index}`), 'd:ann:bob', null);
		const writer = async (store: ChatStore, node: string) => {
			for (let index = 0; index < perNode; index += 3) {
				await Promise.all([0, 1, 2].map((offset) => send(store, node, index + offset)));
				await sleep(Math.random() * 3);
			}
		};
		await Promise.all([writer(a, 'a'), writer(b, 'b')]);
		await delivery.until(2 * perNode);
		await delivery.stop();

		expect(delivery.seen).toEqual(Array.from({ length: 2 * perNode }, (_, index) => index + 1));
		expect(await reader.pending('bob', 0, 10)).toEqual([]);
	});
});
