import { afterEach, describe, expect, it } from 'vitest';
import type { NewMessage } from '../../source/domain/types.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { chatMigrations } from '../../source/storage/schema.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { useStorageSandbox } from './storage-kit.js';

const date = '2026-11-25T12:00:00.000Z';
// Registered first, so its folders are removed after the stores below are closed.
const sandbox = useStorageSandbox();
const tempDir = () => sandbox.tempDir();
const stores: SqlChatStore[] = [];

afterEach(async () => {
	for (const store of stores.splice(0)) await store.close().catch(() => undefined);
});

async function open(dir: string): Promise<SqlChatStore> {
	const store = await openChatStore(dir);
	stores.push(store);
	return store;
}

async function withUsers(store: SqlChatStore, names: readonly string[]): Promise<void> {
	for (const name of names) {
		await store.createUser({ name, displayName: name, passwordHash: 'x', createdAt: date });
	}
}

const toGroup = (from: string, group: string, body: string): NewMessage => ({
	from,
	to: group,
	group,
	body,
	date,
});

const bodies = async (store: SqlChatStore, user: string) =>
	(await store.pending(user, 0, 100)).map((message) => message.body);

describe('SqlChatStore queues', () => {
	it('queues a direct message for its recipient only', async () => {
		const store = await open(await tempDir());
		await withUsers(store, ['ann', 'bob', 'cy']);
		const { message, recipients } = await store.appendMessage(
			{ from: 'ann', to: 'bob', group: null, body: 'hi bob', date },
			'd:ann:bob',
			null,
		);
		expect(recipients).toEqual(['bob']);
		expect(await store.pending('bob', 0, 10)).toEqual([message]);
		expect(await store.pending('ann', 0, 10)).toEqual([]);
		expect(await store.pending('cy', 0, 10)).toEqual([]);
	});

	it('queues a group message for every member but the sender, following membership changes', async () => {
		const store = await open(await tempDir());
		await withUsers(store, ['ann', 'bob', 'cy', 'dee']);
		const group = (await store.createGroup('crew', 'ann', date))!;
		await store.changeGroup(group.id, (change) => change.put([{ user: 'bob', role: 'user' }]));

		const first = await store.appendMessage(
			toGroup('ann', 'crew', 'one'),
			`g:${group.id}`,
			group.id,
		);
		expect(first.recipients).toEqual(['bob']);

		// Members added and removed after a send are seen by the next one.
		await store.changeGroup(group.id, (change) =>
			change.put([
				{ user: 'cy', role: 'user' },
				{ user: 'dee', role: 'admin' },
			]),
		);
		const second = await store.appendMessage(
			toGroup('bob', 'crew', 'two'),
			`g:${group.id}`,
			group.id,
		);
		expect([...second.recipients].sort()).toEqual(['ann', 'cy', 'dee']);
		await store.changeGroup(group.id, (change) => change.remove(['cy']));
		const third = await store.appendMessage(
			toGroup('dee', 'crew', 'three'),
			`g:${group.id}`,
			group.id,
		);
		expect([...third.recipients].sort()).toEqual(['ann', 'bob']);

		expect(await bodies(store, 'ann')).toEqual(['two', 'three']);
		expect(await bodies(store, 'bob')).toEqual(['one', 'three']);
		expect(await bodies(store, 'cy')).toEqual(['two']);
		expect(await bodies(store, 'dee')).toEqual(['two']);
	});

	it('replays the queue rows of a group message from the journal after a crash', async () => {
		const dir = await tempDir();
		const store = await open(dir);
		await withUsers(store, ['ann', 'bob', 'cy']);
		const group = (await store.createGroup('crew', 'ann', date))!;
		await store.changeGroup(group.id, (change) =>
			change.put([
				{ user: 'bob', role: 'user' },
				{ user: 'cy', role: 'user' },
			]),
		);
		await store.appendMessage(toGroup('ann', 'crew', 'before'), `g:${group.id}`, group.id);
		await store.changeGroup(group.id, (change) => change.remove(['cy']));
		await store.appendMessage(toGroup('bob', 'crew', 'after'), `g:${group.id}`, group.id);
		await store.whenDurable();

		// What kill -9 would leave: the files as they are, no snapshot taken at close.
		const reopened = await open(await sandbox.crashImage(dir));
		expect(await bodies(reopened, 'ann')).toEqual(['after']);
		expect(await bodies(reopened, 'bob')).toEqual(['before']);
		expect(await bodies(reopened, 'cy')).toEqual(['before']);
	});

	it('drops the queue of a deleted group and forgets its members', async () => {
		const store = await open(await tempDir());
		await withUsers(store, ['ann', 'bob']);
		const group = (await store.createGroup('crew', 'ann', date))!;
		await store.changeGroup(group.id, (change) => change.put([{ user: 'bob', role: 'user' }]));
		await store.appendMessage(toGroup('ann', 'crew', 'gone soon'), `g:${group.id}`, group.id);
		await store.changeGroup(group.id, (change) => change.delete());
		expect(await bodies(store, 'bob')).toEqual([]);

		// A new group may reuse nothing of the old one's membership.
		const again = (await store.createGroup('crew', 'bob', date))!;
		const sent = await store.appendMessage(
			toGroup('bob', 'crew', 'fresh'),
			`g:${again.id}`,
			again.id,
		);
		expect(sent.recipients).toEqual([]);
		expect(await bodies(store, 'ann')).toEqual([]);
	});
});

describe('SqlChatStore direct-message cursors', () => {
	const direct = (from: string, to: string, body: string): NewMessage => ({
		from,
		to,
		group: null,
		body,
		date,
	});

	it('merges direct and group messages by id, pages by limit, and acknowledges both', async () => {
		const store = await open(await tempDir());
		await withUsers(store, ['ann', 'bob', 'cy']);
		const group = (await store.createGroup('crew', 'ann', date))!;
		await store.changeGroup(group.id, (change) => change.put([{ user: 'bob', role: 'user' }]));
		const sent: number[] = [];
		for (let index = 0; index < 6; index++) {
			const appended =
				index % 2 === 0
					? await store.appendMessage(direct('ann', 'bob', `d${index}`), 'd:ann:bob', null)
					: await store.appendMessage(
							toGroup('ann', 'crew', `g${index}`),
							`g:${group.id}`,
							group.id,
						);
			sent.push(appended.message.id);
		}
		// Another user's direct messages are not bob's.
		await store.appendMessage(direct('ann', 'cy', 'for cy'), 'd:ann:cy', null);

		expect(await bodies(store, 'bob')).toEqual(['d0', 'g1', 'd2', 'g3', 'd4', 'g5']);
		expect((await store.pending('bob', sent[1]!, 3)).map((m) => m.body)).toEqual([
			'd2',
			'g3',
			'd4',
		]);
		await store.acknowledge('bob', sent[2]!);
		expect(await bodies(store, 'bob')).toEqual(['g3', 'd4', 'g5']);
		// An older acknowledgement never moves the cursor back.
		await store.acknowledge('bob', sent[0]!);
		expect(await bodies(store, 'bob')).toEqual(['g3', 'd4', 'g5']);
		await store.acknowledge('bob', sent[5]!);
		expect(await bodies(store, 'bob')).toEqual([]);
		expect(await bodies(store, 'cy')).toEqual(['for cy']);
	});

	it('turns version 1 direct inbox rows into cursors without losing or reviving a message', async () => {
		const dir = await tempDir();
		const v1 = await JournaledDatabase.open({ dir, migrations: chatMigrations.slice(0, 1) });
		v1.write((tx) => {
			for (const name of ['ann', 'bob', 'cy', 'dee']) {
				tx.run(
					"INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, 'x', ?)",
					[name, name, date],
				);
			}
			tx.run("INSERT INTO groups (name, owner, created_at) VALUES ('crew', 'ann', ?)", [date]);
			const insert = (to: string, group: string | null, body: string) =>
				tx.get<{ id: number }>(
					`INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
					VALUES ('c', 'ann', ?, ?, ?, ?) RETURNING id`,
					[to, group, body, date],
				)!.id;
			const queue = (user: string, id: number) =>
				tx.run('INSERT INTO inbox (user, message_id) VALUES (?, ?)', [user, id]);
			// bob acknowledged up to b1: b2, b3 and the group message are still queued.
			insert('bob', null, 'b1');
			queue('bob', insert('bob', null, 'b2'));
			queue('bob', insert('crew', 'crew', 'g1'));
			queue('bob', insert('bob', null, 'b3'));
			// cy acknowledged everything; dee never got a direct message.
			insert('cy', null, 'c1');
		});
		await v1.close();

		const store = await open(dir);
		expect(await bodies(store, 'bob')).toEqual(['b2', 'g1', 'b3']);
		expect(await bodies(store, 'cy')).toEqual([]);
		expect(await bodies(store, 'dee')).toEqual([]);
		const later = await store.appendMessage(direct('ann', 'cy', 'c2'), 'd:ann:cy', null);
		expect(await store.pending('cy', 0, 10)).toEqual([later.message]);
		await store.appendMessage(direct('ann', 'dee', 'd1'), 'd:ann:dee', null);
		expect(await bodies(store, 'dee')).toEqual(['d1']);
	});
});
