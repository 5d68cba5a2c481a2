import { afterEach, describe, expect, it } from 'vitest';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { chatMigrations } from '../../source/storage/schema.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { useStorageSandbox } from './storage-kit.js';
import { describeChatStore } from '../contracts/chat-store.contract.js';
import { bodies, date, direct, toGroup, withUsers } from '../contracts/chat-store-kit.js';

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

describeChatStore('sql.js', async () => {
	const folder = await makeTempDir('korichat-store-contract-');
	let store = await openChatStore(folder.dir);
	return {
		store,
		async close() {
			await store.close().catch(() => undefined);
			await folder.remove();
		},
		async reopen() {
			await store.close();
			store = await openChatStore(folder.dir);
			return store;
		},
	};
});

describe('SqlChatStore: the journal and its migrations', () => {
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
		// Senders get their own messages queued too (§7.1).
		expect(await bodies(reopened, 'ann')).toEqual(['before', 'after']);
		expect(await bodies(reopened, 'bob')).toEqual(['before', 'after']);
		expect(await bodies(reopened, 'cy')).toEqual(['before']);
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
