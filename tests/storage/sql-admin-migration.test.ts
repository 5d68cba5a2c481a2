import { describe, expect, it } from 'vitest';
import { hashSessionId } from '../../source/domain/secrets.js';
import { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import { chatMigrations } from '../../source/storage/schema.js';
import { date, directKey } from '../contracts/chat-store-kit.js';
import { useStorageSandbox } from './storage-kit.js';

const sandbox = useStorageSandbox();

describe('SqlChatStore: schema version 5 (disabled accounts)', () => {
	it('opens a version 4 database: nobody disabled, sessions and messages kept, disabling works', async () => {
		const dir = await sandbox.tempDir();
		const v4 = await JournaledDatabase.open({ dir, migrations: chatMigrations.slice(0, 4) });
		v4.write((tx) => {
			for (const name of ['ann', 'bob']) {
				tx.run(
					"INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, 'x', ?)",
					[name, name, date],
				);
			}
			tx.run(
				"INSERT INTO sessions (id_hash, user, created_at, last_used_at) VALUES (?, 'ann', 1, 7)",
				[hashSessionId('ann-cookie')],
			);
			tx.run(
				`INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
				VALUES (?, 'ann', 'bob', NULL, 'written under v4', ?)`,
				[directKey('ann', 'bob'), date],
			);
		});
		await v4.close();

		const store = await openChatStore(dir);
		try {
			expect(store.db.get<{ user_version: number }>('PRAGMA user_version')).toEqual({
				user_version: chatMigrations.at(-1)!.version,
			});
			expect(await store.findUser('ann')).toEqual({
				name: 'ann',
				displayName: 'ann',
				passwordHash: 'x',
				createdAt: date,
			});
			expect(await store.findSession('ann-cookie')).toMatchObject({ user: 'ann', lastUsedAt: 7 });
			expect(
				(await store.userOverviews()).map((user) => [user.name, user.sessions, user.disabled]),
			).toEqual([
				['ann', 1, false],
				['bob', 0, false],
			]);
			expect(await store.setDisabled('ann', true)).toEqual([hashSessionId('ann-cookie')]);
			expect(await store.findUser('ann')).toMatchObject({ disabled: true });
			const history = await store.history(directKey('ann', 'bob'), undefined, 10);
			expect(history.map((message) => message.body)).toEqual(['written under v4']);
		} finally {
			await store.close();
		}
	});

	it('refuses, in one line, a database written by a newer KoriChat', async () => {
		const dir = await sandbox.tempDir();
		const newer = await JournaledDatabase.open({
			dir,
			migrations: [...chatMigrations, { version: 99, up: 'CREATE TABLE later (x INTEGER)' }],
		});
		await newer.close();
		const refused = await openChatStore(dir).then(
			() => undefined,
			(error: unknown) => error as Error,
		);
		expect(refused?.message).toMatch(
			/^[^\n]*schema version 99 [^\n]*knows only up to 7[^\n]*newer KoriChat$/,
		);
	});
});
