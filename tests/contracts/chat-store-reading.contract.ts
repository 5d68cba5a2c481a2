import { describe, expect, it } from 'vitest';
import { hashSessionId } from '../../source/domain/secrets.js';
import {
	crew,
	direct,
	sendDirect,
	sendToGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

/** §7.2 read positions and unread counts, §7.7 password changes. */
export function describeReading(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('read positions and unread counts (§7.2)', () => {
		it('moves a read position only forward and returns the new one', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const ids: number[] = [];
			for (const body of ['a', 'b', 'c'])
				ids.push((await sendDirect(store, 'bob', 'ann', body)).id);
			expect(await store.markRead('ann', 'd:ann:bob', ids[1]!)).toBe(ids[1]);
			expect(await store.markRead('ann', 'd:ann:bob', ids[0]!)).toBe(ids[1]);
			expect(await store.markRead('ann', 'd:ann:bob', ids[1]!)).toBe(ids[1]);
			expect(await store.markRead('ann', 'd:ann:bob', ids[2]!)).toBe(ids[2]);
			// Positions are per user: bob's is still 0.
			expect((await store.unread('bob'))[0]).toMatchObject({ lastRead: 0 });
			expect((await store.unread('ann'))[0]).toMatchObject({ lastRead: ids[2], unread: 0 });
		});

		it('lists every conversation with a message, newest first, counting what others sent', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy', 'dee']);
			const group = await crew(store, 'crew', ['ann', 'bob', 'cy']);
			const a1 = await sendDirect(store, 'bob', 'ann', 'a1');
			const a2 = await sendDirect(store, 'ann', 'bob', 'a2');
			const c1 = await sendDirect(store, 'cy', 'ann', 'c1');
			const g1 = await sendToGroup(store, 'bob', group, 'g1');
			await sendToGroup(store, 'ann', group, 'g2');
			const g3 = await sendToGroup(store, 'cy', group, 'g3');
			const self = (await store.appendMessage(direct('ann', 'ann', 'note'), 'd:ann:ann', null))
				.message;
			// A group with no message is not listed; nor are conversations of others.
			await crew(store, 'quiet', ['ann', 'bob']);
			await sendDirect(store, 'bob', 'cy', 'not ann’s');

			expect(await store.unread('ann')).toEqual([
				{ to: 'ann', group: null, lastRead: 0, lastId: self.id, unread: 0 },
				{ to: 'crew', group: 'crew', lastRead: 0, lastId: g3.id, unread: 2 },
				{ to: 'cy', group: null, lastRead: 0, lastId: c1.id, unread: 1 },
				{ to: 'bob', group: null, lastRead: 0, lastId: a2.id, unread: 1 },
			]);
			expect(await store.unread('dee')).toEqual([]);

			await store.markRead('ann', 'd:ann:bob', a1.id);
			await store.markRead('ann', `g:${group.id}`, g1.id);
			const after = await store.unread('ann');
			expect(after.find((row) => row.to === 'bob')).toEqual({
				to: 'bob',
				group: null,
				lastRead: a1.id,
				lastId: a2.id,
				unread: 0,
			});
			expect(after.find((row) => row.group === 'crew')).toMatchObject({
				lastRead: g1.id,
				unread: 1,
			});

			// Sending does not move the sender's read position.
			const g4 = await sendToGroup(store, 'ann', group, 'g4');
			expect((await store.unread('ann'))[0]).toEqual({
				to: 'crew',
				group: 'crew',
				lastRead: g1.id,
				lastId: g4.id,
				unread: 1,
			});
			// From bob's side the direct conversation is named "ann".
			expect(
				(await store.unread('bob')).find((row) => row.group === null && row.to === 'ann'),
			).toMatchObject({ lastId: a2.id, unread: 1 });
		});

		it('counts no deleted message as unread, and lists no group the user left', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const group = await crew(store, 'crew', ['ann', 'bob', 'cy']);
			await sendToGroup(store, 'bob', group, 'one');
			const two = await sendToGroup(store, 'bob', group, 'two');
			const dm = await sendDirect(store, 'bob', 'cy', 'hey');
			await store.deleteMessage(two.id);
			await store.deleteMessage(dm.id);
			// The tombstone is still the conversation's last message, but not an unread one.
			expect(await store.unread('ann')).toEqual([
				{ to: 'crew', group: 'crew', lastRead: 0, lastId: two.id, unread: 1 },
			]);
			expect(await store.unread('cy')).toEqual([
				{ to: 'bob', group: null, lastRead: 0, lastId: dm.id, unread: 0 },
				{ to: 'crew', group: 'crew', lastRead: 0, lastId: two.id, unread: 1 },
			]);

			await store.changeGroup(group.id, (change) => change.remove(['cy']));
			expect((await store.unread('cy')).map((row) => row.to)).toEqual(['bob']);
			await store.changeGroup(group.id, (change) => change.delete());
			expect(await store.unread('ann')).toEqual([]);
			expect((await store.unread('bob')).map((row) => row.to)).toEqual(['cy']);
		});
	});

	describe('password changes (§7.7)', () => {
		it('sets the new hash and deletes every other session, returning their id hashes', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			for (const [id, user] of [
				['s-1', 'ann'],
				['s-2', 'ann'],
				['s-3', 'ann'],
				['s-4', 'bob'],
			] as const) {
				await store.createSession({ id, user, createdAt: 1000, lastUsedAt: 1000 });
			}
			expect(await store.findUser('ann')).toMatchObject({ passwordHash: 'x' });
			const dropped = await store.changePassword('ann', 'new-hash', 's-2');
			expect([...dropped].sort()).toEqual([hashSessionId('s-1'), hashSessionId('s-3')].sort());
			expect(await store.findUser('ann')).toMatchObject({ name: 'ann', passwordHash: 'new-hash' });
			expect(await store.findUser('bob')).toMatchObject({ passwordHash: 'x' });
			expect(await store.findSession('s-1')).toBeUndefined();
			expect(await store.findSession('s-3')).toBeUndefined();
			expect(await store.findSession('s-2')).toMatchObject({ user: 'ann' });
			expect(await store.findSession('s-4')).toMatchObject({ user: 'bob' });
			expect(await store.changePassword('ann', 'newer-hash', 's-2')).toEqual([]);
			expect((await store.findUser('ann'))?.passwordHash).toBe('newer-hash');
		});
	});
}
