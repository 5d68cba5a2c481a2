import { describe, expect, it } from 'vitest';
import { StorageClosedError } from '../../source/domain/storage-errors.js';
import { date, useStores, withUsers, type ChatStoreMaker } from './chat-store-kit.js';

/** Names, users and sessions. */
export function describeAccounts(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('names, users, sessions', () => {
		it('gives users and groups one namespace', async () => {
			const store = await open();
			const user = { name: 'ann', displayName: 'Ann', passwordHash: 'h', createdAt: date };
			expect(await store.isNameTaken('ann')).toBe(false);
			expect(await store.createUser(user)).toBe(true);
			expect(await store.createUser({ ...user, displayName: 'Other' })).toBe(false);
			expect(await store.createGroup('ann', 'ann', date)).toBeUndefined();
			expect(await store.findUser('ann')).toEqual(user);

			const group = await store.createGroup('crew', 'ann', date);
			expect(group).toMatchObject({ name: 'crew', owner: 'ann', createdAt: date });
			expect(await store.isNameTaken('crew')).toBe(true);
			expect(await store.createUser({ ...user, name: 'crew' })).toBe(false);
			expect(await store.createGroup('crew', 'ann', date)).toBeUndefined();
			expect(await store.findUser('crew')).toBeUndefined();
			expect(await store.findGroup('ann')).toBeUndefined();
		});

		it('frees a deleted group name for a user or a group', async () => {
			const store = await open();
			await withUsers(store, ['ann']);
			const group = (await store.createGroup('crew', 'ann', date))!;
			await store.changeGroup(group.id, (change) => change.delete());
			expect(await store.isNameTaken('crew')).toBe(false);
			expect(await store.findGroup('crew')).toBeUndefined();
			const again = (await store.createGroup('crew', 'ann', date))!;
			expect(again.id).not.toBe(group.id);
			await store.changeGroup(again.id, (change) => change.delete());
			expect(
				await store.createUser({
					name: 'crew',
					displayName: 'c',
					passwordHash: 'h',
					createdAt: date,
				}),
			).toBe(true);
		});

		it('returns display names byte for byte and lists users in byte order', async () => {
			const store = await open();
			const names = ['b', 'a_b', 'a.b', 'a-b', 'ab', 'a0', 'a'];
			const shown = '\uFEFFZoë 👩‍💻 \u202Enimda "; DROP TABLE users;--';
			for (const name of names) {
				await store.createUser({
					name,
					displayName: shown,
					passwordHash: `h-${name}`,
					createdAt: date,
				});
			}
			const users = await store.listUsers();
			expect(users.map((user) => user.name)).toEqual([...names].sort());
			expect(users.every((user) => user.displayName === shown)).toBe(true);
			expect(users.find((user) => user.name === 'a0')?.passwordHash).toBe('h-a0');
		});

		it('keeps sessions, touches, deletes and expires them', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await store.createSession({ id: 'secret-1', user: 'ann', createdAt: 1000, lastUsedAt: 1000 });
			await store.createSession({ id: 'secret-2', user: 'bob', createdAt: 2000, lastUsedAt: 2000 });
			await store.createSession({ id: 'secret-3', user: 'ann', createdAt: 3000, lastUsedAt: 3000 });
			expect(await store.findSession('secret-1')).toEqual({
				id: 'secret-1',
				user: 'ann',
				createdAt: 1000,
				lastUsedAt: 1000,
			});
			expect(await store.findSession('secret-4')).toBeUndefined();

			// Millisecond times beyond 32 bits come back exactly.
			const now = Date.parse(date);
			await store.touchSession('secret-1', now);
			expect((await store.findSession('secret-1'))?.lastUsedAt).toBe(now);
			await store.deleteSession('secret-2');
			expect(await store.findSession('secret-2')).toBeUndefined();
			expect(await store.deleteSessionsUnusedSince(3001)).toBe(1);
			expect(await store.findSession('secret-3')).toBeUndefined();
			expect(await store.findSession('secret-1')).toBeDefined();
			expect(await store.deleteSessionsUnusedSince(0)).toBe(0);
		});

		it('refuses work after close', async () => {
			const store = await open();
			await withUsers(store, ['ann']);
			await store.close();
			await expect(
				store.createSession({ id: 'late', user: 'ann', createdAt: 1, lastUsedAt: 1 }),
			).rejects.toBeInstanceOf(StorageClosedError);
		});
	});
}
