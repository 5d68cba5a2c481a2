import { describe, expect, it } from 'vitest';
import { DomainError, forbidden } from '../../source/domain/errors.js';
import {
	bodies,
	crew,
	date,
	toGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Groups, memberships and changeGroup. */
export function describeGroups(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('groups', () => {
		it('makes the owner the first member and reports memberships', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const zeta = await crew(store, 'zeta', ['ann', 'bob', 'cy']);
			const alpha = await crew(store, 'alpha', ['bob', 'ann']);
			expect(await store.findGroup('zeta')).toEqual(zeta);
			expect(await store.membersOf(zeta.id)).toEqual([
				{ user: 'ann', role: 'owner' },
				{ user: 'bob', role: 'user' },
				{ user: 'cy', role: 'user' },
			]);
			expect(await store.roleOf(alpha.id, 'bob')).toBe('owner');
			expect(await store.roleOf(alpha.id, 'cy')).toBeUndefined();
			expect(await store.groupsOf('ann')).toEqual([
				{ group: alpha, role: 'user', members: 2 },
				{ group: zeta, role: 'owner', members: 3 },
			]);
			expect(await store.groupsOf('cy')).toEqual([{ group: zeta, role: 'user', members: 3 }]);
		});

		it('changes roles, removes members and sees its own writes inside a change', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const group = await crew(store, 'crew', ['ann', 'bob', 'cy']);
			const seen = await store.changeGroup(group.id, async (change) => {
				expect(change.group).toEqual(group);
				await change.put([{ user: 'bob', role: 'admin' }]);
				await change.remove(['cy']);
				return change.members();
			});
			expect(seen).toEqual([
				{ user: 'ann', role: 'owner' },
				{ user: 'bob', role: 'admin' },
			]);
			expect(await store.membersOf(group.id)).toEqual(seen);
			expect(await store.groupsOf('cy')).toEqual([]);
		});

		it('passes a refusal through and changes nothing', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann']);
			const refused = store.changeGroup(group.id, async (change) => {
				await change.members();
				throw forbidden('not you');
			});
			await expect(refused).rejects.toBeInstanceOf(DomainError);
			expect(await store.membersOf(group.id)).toEqual([{ user: 'ann', role: 'owner' }]);
			// The group is not left locked.
			await store.changeGroup(group.id, (change) => change.put([{ user: 'bob', role: 'user' }]));
			expect(await store.roleOf(group.id, 'bob')).toBe('user');
		});

		it('runs changes to one group one at a time: no update is lost', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'm1', 'm2', 'm3', 'm4']);
			const group = await crew(store, 'crew', ['ann']);
			// Each change reads the members, waits, then adds "the next" one: overlapping changes
			// would both add the same member.
			const addNext = () =>
				store.changeGroup(group.id, async (change) => {
					const count = (await change.members()).length;
					await pause();
					await change.put([{ user: `m${count}`, role: 'user' }]);
				});
			await Promise.all([addNext(), addNext(), addNext(), addNext()]);
			expect((await store.membersOf(group.id)).map((m) => m.user)).toEqual([
				'ann',
				'm1',
				'm2',
				'm3',
				'm4',
			]);
		});

		it('hands a change of a deleted or unknown group no group', async () => {
			const store = await open();
			await withUsers(store, ['ann']);
			const group = await crew(store, 'crew', ['ann']);
			await store.changeGroup(group.id, (change) => change.delete());
			expect(await store.changeGroup(group.id, async (change) => change.group)).toBeUndefined();
			expect(await store.changeGroup(987_654, async (change) => change.group)).toBeUndefined();
		});

		it('deletes a group with its memberships, messages and queue entries', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			await store.appendMessage(toGroup('ann', 'crew', 'gone soon'), `g:${group.id}`, group.id);
			await store.changeGroup(group.id, (change) => change.delete());
			expect(await bodies(store, 'bob')).toEqual([]);
			expect(await store.history(`g:${group.id}`, undefined, 10)).toEqual([]);
			expect(await store.membersOf(group.id)).toEqual([]);
			expect(await store.roleOf(group.id, 'ann')).toBeUndefined();
			expect(await store.groupsOf('bob')).toEqual([]);

			// A new group of the same name reuses nothing of the old one's membership.
			const again = (await store.createGroup('crew', 'bob', date))!;
			const sent = await store.appendMessage(
				toGroup('bob', 'crew', 'fresh'),
				`g:${again.id}`,
				again.id,
			);
			expect(sent.recipients).toEqual(['bob']);
			expect(await bodies(store, 'ann')).toEqual([]);
			expect(await store.history(`g:${again.id}`, undefined, 10)).toEqual([sent.message]);
		});
	});
}
