import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import { date, toGroup, withUsers } from '../contracts/chat-store-kit.js';

export const crew = ['ann', 'bob', 'cy'] as const;

/** Users ann, bob and cy, the group crew of all three; returns the group. */
export async function makeCrew(store: SqlChatStore, name = 'crew') {
	await withUsers(store, crew);
	const group = (await store.createGroup(name, 'ann', date))!;
	await store.changeGroup(group.id, (change) =>
		change.put([
			{ user: 'bob', role: 'user' },
			{ user: 'cy', role: 'user' },
		]),
	);
	return group;
}

/** Appends `count` messages to the group, each one transaction (the message and 3 inbox rows). */
export async function sendToCrew(
	store: SqlChatStore,
	group: { id: number; name: string },
	count: number,
	label: string,
): Promise<void> {
	for (let index = 0; index < count; index++) {
		const from = crew[index % crew.length]!;
		await store.appendMessage(
			toGroup(from, group.name, `${label} ${index}`),
			`g:${group.id}`,
			group.id,
		);
	}
}

export type Contents = {
	readonly users: string[];
	readonly messages: Array<{ id: number; body: string }>;
};

/** What a store holds, read straight from its tables. */
export function contents(store: SqlChatStore): Contents {
	return {
		users: store.db
			.all<{ name: string }>('SELECT name FROM users ORDER BY name')
			.map((r) => r.name),
		messages: store.db.all<{ id: number; body: string }>(
			'SELECT id, body FROM messages ORDER BY id',
		),
	};
}

/**
 * Messages of a transaction that is only half there: a group message without an inbox row for
 * each member (nobody acknowledges in these tests), or an inbox row without its message.
 */
export function halfTransactions(store: SqlChatStore): number {
	const row = store.db.get<{ n: number }>(
		`WITH queued AS (SELECT message_id, COUNT(*) AS rows FROM inbox GROUP BY message_id),
			sizes AS (SELECT g.name, COUNT(*) AS members FROM groups g
				JOIN members m ON m.group_id = g.id GROUP BY g.name)
		SELECT
			(SELECT COUNT(*) FROM messages m JOIN sizes s ON s.name = m.group_name
				LEFT JOIN queued q ON q.message_id = m.id WHERE COALESCE(q.rows, 0) <> s.members)
			+ (SELECT COUNT(*) FROM queued q WHERE NOT EXISTS (SELECT 1 FROM messages WHERE id = q.message_id))
			AS n`,
	);
	return row?.n ?? -1;
}

/**
 * `count` group messages from ann with their search entries and inbox rows, a thousand to a write
 * (appendMessage one at a time takes about a minute for 100,000).
 */
export async function fillCrew(
	store: SqlChatStore,
	group: { id: number; name: string },
	count: number,
): Promise<void> {
	for (let start = 0; start < count; start += 1000) {
		store.db.write((tx) => {
			for (let index = start; index < Math.min(count, start + 1000); index++) {
				const body = `message ${index} about the release plan`;
				const { id } = tx.get<{ id: number }>(
					'INSERT INTO messages (conversation, sender, recipient, group_name, body, date) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
					[`g:${group.id}`, 'ann', group.name, group.name, body, date],
				)!;
				tx.run(
					'INSERT INTO inbox (user, message_id) SELECT user, ? FROM members WHERE group_id = ?',
					[id, group.id],
				);
			}
		});
		await store.whenDurable();
	}
	// Searchable, as appended messages become.
	await store.searchIndex.catchUp();
	await store.whenDurable();
}
