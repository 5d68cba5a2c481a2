import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../../source/domain/search-words.js';
import type { ChatStore } from '../../../source/domain/store.js';
import { crew, direct, toGroup, withUsers } from '../../contracts/chat-store-kit.js';
import { pg, usePostgres } from './postgres-kit.js';

const found = async (store: ChatStore, user: string, words: string) =>
	(await store.search(user, { terms: searchTerms(words), limit: 10 })).map((m) => m.id);

/** Two stores on one database, as two nodes of a cluster with their own pools. */
describe.skipIf(!pg.available)('PostgresChatStore: §7 changes from two nodes at once', () => {
	const pgs = usePostgres();

	it('never moves a read position back when two nodes mark it at once', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['ann', 'bob']);
		for (let index = 0; index < 40; index++) {
			await a.appendMessage(direct('bob', 'ann', `m${index}`), 'd:ann:bob', null);
		}
		// Positions 1..40, handed out in a scrambled order, half to each node.
		const positions = Array.from({ length: 40 }, (_, index) => ((index * 17) % 40) + 1);
		const answers = await Promise.all(
			positions.map((n, index) => (index % 2 === 0 ? a : b).markRead('ann', 'd:ann:bob', n)),
		);
		answers.forEach((answer, index) => expect(answer).toBeGreaterThanOrEqual(positions[index]!));
		expect(answers).toContain(40);
		expect(await b.markRead('ann', 'd:ann:bob', 3)).toBe(40);
		expect(await a.unread('ann')).toEqual([
			{ to: 'bob', group: null, lastRead: 40, lastId: 40, unread: 0 },
		]);
		expect((await b.unread('bob'))[0]).toMatchObject({ to: 'ann', lastRead: 0, unread: 0 });
	});

	it('keeps text and search entry together when two nodes edit one message at once', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['ann', 'bob']);
		const group = await crew(a, 'crew', ['ann', 'bob']);
		const { message } = await a.appendMessage(
			toGroup('ann', 'crew', 'draft'),
			`g:${group.id}`,
			group.id,
		);
		const at = (index: number) => new Date(Date.UTC(2026, 10, 26, 12, 0, index)).toISOString();
		const edits = await Promise.all(
			Array.from({ length: 20 }, (_, index) =>
				(index % 2 === 0 ? a : b).editMessage(message.id, `version v${index}`, at(index)),
			),
		);
		expect(edits.every((edit) => edit?.id === message.id)).toBe(true);
		const [final] = await b.history(`g:${group.id}`, undefined, 1);
		const winner = Number(/v(\d+)$/.exec(final!.body)![1]);
		expect(final).toMatchObject({ body: `version v${winner}`, edited: at(winner) });
		// The search entry is the winner's, on both nodes, and no loser's words linger.
		expect(await found(a, 'bob', `v${winner}`)).toEqual([message.id]);
		expect(await found(b, 'ann', 'version')).toEqual([message.id]);
		for (let index = 0; index < 20; index++) {
			if (index !== winner) expect(await found(a, 'ann', `v${index}`)).toEqual([]);
		}
		expect(await found(b, 'bob', 'draft')).toEqual([]);
		expect((await a.pending('bob', 0, 10)).map((m) => m.body)).toEqual([final!.body]);
	});

	it('lets one of two nodes delete a message being edited, and the tombstone wins', async () => {
		const { url } = await pgs.database();
		const [a, b] = await Promise.all([pgs.store(url), pgs.store(url)]);
		await withUsers(a, ['ann', 'bob']);
		const ids: number[] = [];
		for (let index = 0; index < 10; index++) {
			ids.push(
				(await a.appendMessage(direct('ann', 'bob', `hello ${index}`), 'd:ann:bob', null)).message
					.id,
			);
		}
		const results = await Promise.all(
			ids.flatMap((id) => [
				a.editMessage(id, `changed ${id}`, '2026-11-26T00:00:00.000Z'),
				b.deleteMessage(id),
				a.deleteMessage(id),
			]),
		);
		ids.forEach((id, index) => {
			const deletes = [results[3 * index + 1], results[3 * index + 2]];
			// Exactly one delete made the tombstone; the other found it deleted already.
			expect(deletes.filter((d) => d !== undefined)).toEqual([
				expect.objectContaining({ id, deleted: true, body: '' }),
			]);
		});
		const history = await b.history('d:ann:bob', undefined, 20);
		expect(history.every((m) => m.deleted === true && m.body === '')).toBe(true);
		expect(await found(a, 'bob', 'changed')).toEqual([]);
		expect(await found(b, 'ann', 'hello')).toEqual([]);
		expect(await a.pending('bob', 0, 20)).toEqual([]);
		expect(await b.pending('ann', 0, 20)).toEqual([]);
		expect(await a.editMessage(ids[0]!, 'too late', '2026-11-27T00:00:00.000Z')).toBeUndefined();
	});
});
