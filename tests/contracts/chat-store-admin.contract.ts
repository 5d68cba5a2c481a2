import { describe, expect, it } from 'vitest';
import { hashSessionId } from '../../source/domain/secrets.js';
import {
	crew,
	date,
	directKey,
	direct,
	sendDirect,
	sendToGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

const session = (id: string, user: string, createdAt: number, lastUsedAt = createdAt) => ({
	id,
	user,
	createdAt,
	lastUsedAt,
});

/** The operator's view (`korichat admin`): overviews, disabling, counts and size. */
export function describeAdmin(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('the operator view', () => {
		it('lists every user with their sessions count, last use and disabled flag', async () => {
			const store = await open();
			await store.createUser({
				name: 'ann',
				displayName: 'Ann Æ',
				passwordHash: 'secret-hash',
				createdAt: date,
			});
			await withUsers(store, ['bob', 'cy']);
			await store.createSession(session('s-1', 'ann', 1000, 5000));
			await store.createSession(session('s-2', 'ann', 2000, 3000));
			await store.createSession(session('s-3', 'bob', 4000));
			expect(await store.userOverviews()).toEqual([
				{
					name: 'ann',
					displayName: 'Ann Æ',
					createdAt: date,
					sessions: 2,
					lastSeen: 5000,
					disabled: false,
				},
				{
					name: 'bob',
					displayName: 'bob',
					createdAt: date,
					sessions: 1,
					lastSeen: 4000,
					disabled: false,
				},
				{
					name: 'cy',
					displayName: 'cy',
					createdAt: date,
					sessions: 0,
					lastSeen: null,
					disabled: false,
				},
			]);
		});

		it('lists every group with its members and messages, tombstones included', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const team = await crew(store, 'team', ['ann', 'bob', 'cy']);
			const quiet = await crew(store, 'quiet', ['bob']);
			await sendToGroup(store, 'ann', team, 'one');
			const two = await sendToGroup(store, 'bob', team, 'two');
			await store.deleteMessage(two.id);
			await sendDirect(store, 'ann', 'bob', 'not a group message');
			expect(await store.groupOverviews()).toEqual([
				{ group: quiet, members: 1, messages: 0 },
				{ group: team, members: 3, messages: 2 },
			]);
		});

		it("lists a user's sessions by their id hashes, most recently used first", async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await store.createSession(session('old', 'ann', 1000, 2000));
			await store.createSession(session('new', 'ann', 1500, 9000));
			await store.createSession(session('bobs', 'bob', 1000));
			expect(await store.sessionsOf('ann')).toEqual([
				{ idHash: hashSessionId('new'), createdAt: 1500, lastUsedAt: 9000 },
				{ idHash: hashSessionId('old'), createdAt: 1000, lastUsedAt: 2000 },
			]);
			expect(await store.sessionsOf('nobody')).toEqual([]);
		});

		it('disables a user, deleting every session of theirs and returning the hashes; enables again', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await store.createSession(session('a-1', 'ann', 1000));
			await store.createSession(session('a-2', 'ann', 1000));
			await store.createSession(session('b-1', 'bob', 1000));
			const bobBefore = await store.findUser('bob');

			const ended = await store.setDisabled('ann', true);
			expect([...ended!].sort()).toEqual([hashSessionId('a-1'), hashSessionId('a-2')].sort());
			expect(await store.findUser('ann')).toMatchObject({ name: 'ann', disabled: true });
			expect(await store.findSession('a-1')).toBeUndefined();
			expect(await store.findSession('b-1')).toBeDefined();
			expect(await store.findUser('bob')).toEqual(bobBefore);
			expect((await store.listUsers()).find((user) => user.name === 'ann')?.disabled).toBe(true);
			expect((await store.userOverviews())[0]).toMatchObject({ sessions: 0, disabled: true });

			// A disabled user gets no new session; twice disabled ends nothing more.
			expect(await store.createSession(session('a-3', 'ann', 2000))).toBe(false);
			expect(await store.findSession('a-3')).toBeUndefined();
			expect(await store.setDisabled('ann', true)).toEqual([]);

			expect(await store.setDisabled('ann', false)).toEqual([]);
			expect(await store.findUser('ann')).not.toHaveProperty('disabled');
			expect(await store.createSession(session('a-4', 'ann', 3000))).toBe(true);
			expect(await store.findSession('a-4')).toBeDefined();
		});

		it('leaves no session of a disabled user when logins race the disable', async () => {
			const store = await open();
			await withUsers(store, ['ann']);
			for (let round = 0; round < 10; round++) {
				const logins = Array.from({ length: 5 }, (_, index) =>
					store.createSession(session(`r${round}-${index}`, 'ann', 1000 + round)),
				);
				const [ended] = await Promise.all([store.setDisabled('ann', true), ...logins]);
				// Every session that was made before the disable was ended by it; none after.
				expect(await store.sessionsOf('ann')).toEqual([]);
				expect((ended as string[]).length).toBeLessThanOrEqual(5);
				await store.setDisabled('ann', false);
			}
		});

		it('knows no unknown user: no session, nothing to disable', async () => {
			const store = await open();
			await withUsers(store, ['ann']);
			expect(await store.setDisabled('nobody', true)).toBeUndefined();
			expect(await store.setDisabled('nobody', false)).toBeUndefined();
			expect(await store.createSession(session('x', 'nobody', 1000))).toBe(false);
			expect(await store.findSession('x')).toBeUndefined();
			expect(await store.findUser('nobody')).toBeUndefined();
		});

		it("keeps a disabled user's messages in history and their disabled flag across a restart", async () => {
			let store = await open();
			await withUsers(store, ['ann', 'bob']);
			await sendDirect(store, 'ann', 'bob', 'kept');
			await store.setDisabled('ann', true);
			await store.whenDurable();
			store = await open.reopen(store);
			expect(await store.findUser('ann')).toMatchObject({ disabled: true });
			expect(
				(await store.history(directKey('ann', 'bob'), undefined, 10)).map((m) => m.body),
			).toEqual(['kept']);
			expect(await store.pending('bob', 0, 10)).toHaveLength(1);
		});

		it('counts users, groups, messages and what is queued, as pending() would give it', async () => {
			const store = await open();
			expect(await store.counts()).toEqual({ users: 0, groups: 0, messages: 0, queueDepth: 0 });
			await withUsers(store, ['ann', 'bob', 'cy']);
			const team = await crew(store, 'team', ['ann', 'bob', 'cy']);
			const first = await sendToGroup(store, 'ann', team, 'to three');
			await sendDirect(store, 'ann', 'bob', 'to bob');
			await store.appendMessage(direct('cy', 'cy', 'to myself'), directKey('cy', 'cy'), null);
			const gone = await sendDirect(store, 'bob', 'cy', 'deleted');
			await store.deleteMessage(gone.id);

			const depth = async () => {
				let total = 0;
				for (const user of ['ann', 'bob', 'cy'])
					total += (await store.pending(user, 0, 1000)).length;
				return total;
			};
			// Group: 3 rows; ann→bob: 2 (bob, and ann's other devices); cy→cy: 1.
			expect(await depth()).toBe(6);
			expect(await store.counts()).toEqual({ users: 3, groups: 1, messages: 4, queueDepth: 6 });

			// ACKs move the cursors and drop inbox rows: the depth follows.
			await store.acknowledge('bob', await store.lastMessageId());
			await store.acknowledge('ann', first.id);
			expect(await depth()).toBe(3);
			expect((await store.counts()).queueDepth).toBe(3);
		});

		it('reports the storage it takes', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await store.whenDurable();
			const before = await store.storageSize();
			expect(before.databaseBytes).toBeGreaterThan(0);
			for (let i = 0; i < 50; i++)
				await sendDirect(store, 'ann', 'bob', `message ${i} ${'x'.repeat(500)}`);
			await store.whenDurable();
			const after = await store.storageSize();
			if (after.journalBytes === null) {
				expect(before.journalBytes).toBeNull();
				expect(after.databaseBytes).toBeGreaterThanOrEqual(before.databaseBytes);
			} else {
				expect(after.journalBytes).toBeGreaterThan(before.journalBytes!);
				expect(after.databaseBytes).toBeGreaterThanOrEqual(after.journalBytes);
				expect(after.databaseBytes - before.databaseBytes).toBeGreaterThan(50 * 500);
			}
		});
	});
}
