import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../source/domain/passwords.js';
import { directConversation } from '../../source/domain/messages.js';
import type { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';

/** What to put in a data folder before the server starts on it. */
export type FixtureSpec = {
	readonly users: number;
	/** Sessions created per user (cookies the load process binds with PING). */
	readonly sessionsPerUser: number;
	/** Groups owned by user 0, with the first `members` users as members. */
	readonly groups?: readonly { readonly name: string; readonly members: number }[];
	/** Stored direct messages between `reader` (user 0) and `conversations` partners. */
	readonly history?: {
		readonly messages: number;
		readonly conversations: number;
		/** Messages written after the closing snapshot, left in the journal for replay. */
		readonly journalTail: number;
	};
};

export type Fixture = {
	readonly users: string[];
	readonly password: string;
	/** Session ids per user, in user order. */
	readonly cookies: string[][];
	readonly buildMs: number;
};

export const benchPassword = 'bench-password-1';
export const userName = (index: number) => `u${String(index).padStart(5, '0')}`;

const insertMessage = `INSERT INTO messages (conversation, sender, recipient, group_name, body, date)
	VALUES (?, ?, ?, NULL, ?, ?)`;

/**
 * Builds the data folder directly with the storage layer: no scrypt per user (one hash is shared;
 * every user's password is `benchPassword`), sessions created in the store, messages inserted in
 * large write() batches. Ends with a snapshot unless a journal tail is asked for, in which case
 * the process must exit without closing (as after a crash) so the tail stays in the journal.
 */
export async function buildFixture(dir: string, spec: FixtureSpec): Promise<Fixture> {
	const started = performance.now();
	const passwordHash = await hashPassword(benchPassword);
	const store = await openChatStore(dir);
	const users = Array.from({ length: spec.users }, (_, index) => userName(index));
	const createdAt = new Date().toISOString();
	const now = Date.now();
	const cookies: string[][] = [];
	store.db.write((tx) => {
		for (const name of users) {
			tx.run(
				'INSERT INTO users (name, display_name, password_hash, created_at) VALUES (?, ?, ?, ?)',
				[name, name, passwordHash, createdAt],
			);
		}
	});
	for (const name of users) {
		const ids: string[] = [];
		for (let index = 0; index < spec.sessionsPerUser; index++) {
			const id = randomUUID();
			await store.createSession({ id, user: name, createdAt: now, lastUsedAt: now });
			ids.push(id);
		}
		cookies.push(ids);
	}
	for (const group of spec.groups ?? []) {
		const record = await store.createGroup(group.name, users[0]!, createdAt);
		if (!record) throw new Error(`group ${group.name} exists`);
		const members = users.slice(1, group.members).map((user) => ({ user, role: 'user' as const }));
		await store.changeGroup(record.id, (change) => change.put(members));
	}
	const history = spec.history;
	if (history) {
		await insertHistory(store.db, users, history.messages, history.conversations, 0);
		await acknowledgeAll(store, users);
	}
	await store.close();
	if (history && history.journalTail > 0) {
		const reopened = await openChatStore(dir);
		await insertHistory(reopened.db, users, history.journalTail, history.conversations, 1);
		await acknowledgeAll(reopened, users);
		await reopened.whenDurable();
		// Deliberately not closed: the tail stays in the journal, as after a crash.
	}
	return { users, password: benchPassword, cookies, buildMs: performance.now() - started };
}

/** The history is old news: every user has seen (acknowledged) all of it. */
async function acknowledgeAll(store: SqlChatStore, users: readonly string[]): Promise<void> {
	const newest = store.db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM messages')?.id;
	if (!newest) return;
	for (const user of users) await store.acknowledge(user, newest);
}

async function insertHistory(
	db: JournaledDatabase,
	users: readonly string[],
	count: number,
	conversations: number,
	seed: number,
): Promise<void> {
	const reader = users[0]!;
	const partners = Array.from(
		{ length: conversations },
		(_, index) => users[1 + (index % (users.length - 1))]!,
	);
	const keys = partners.map((partner) => directConversation(reader, partner));
	const date = new Date().toISOString();
	const batch = 20_000;
	for (let start = 0; start < count; start += batch) {
		const end = Math.min(count, start + batch);
		db.write((tx) => {
			for (let index = start; index < end; index++) {
				const which = index % conversations;
				const fromReader = (index + seed) % 2 === 0;
				const partner = partners[which]!;
				tx.run(insertMessage, [
					keys[which]!,
					fromReader ? reader : partner,
					fromReader ? partner : reader,
					`message ${index} of the big history, about the length of a chat line`,
					date,
				]);
			}
		});
		// Lets the journal's group commit run between batches.
		await new Promise((resolve) => setImmediate(resolve));
	}
}
