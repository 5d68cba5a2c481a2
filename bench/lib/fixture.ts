import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../source/domain/passwords.js';
import { directConversation } from '../../source/domain/messages.js';
import type { JournaledDatabase } from '../../source/storage/journaled-database.js';
import { openChatStore } from '../../source/storage/open-chat-store.js';
import type { SqlChatStore } from '../../source/storage/sql-chat-store.js';
import type { ChatStore } from '../../source/domain/store.js';
import { openPostgresStore } from '../../source/storage/postgres/open-postgres-store.js';

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
 * Where a fixture goes: a sql.js data folder, or a PostgreSQL database (created empty by the
 * orchestrator; the store creates its schema).
 */
export type FixtureTarget = { readonly dir: string } | { readonly storeUrl: string };

/** Runs `action` over `items`, `concurrency` at a time (a networked store gains from overlap). */
async function forEach<T>(
	items: readonly T[],
	concurrency: number,
	action: (item: T, index: number) => Promise<void>,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const index = next++;
			await action(items[index]!, index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/**
 * Fills any ChatStore through its interface: no scrypt per user (one hash is shared; every
 * user's password is `benchPassword`), sessions and groups created in the store.
 */
export async function fillStore(store: ChatStore, spec: FixtureSpec): Promise<Fixture> {
	const started = performance.now();
	const passwordHash = await hashPassword(benchPassword);
	const users = Array.from({ length: spec.users }, (_, index) => userName(index));
	const createdAt = new Date().toISOString();
	const now = Date.now();
	await forEach(users, 16, async (name) => {
		const created = await store.createUser({ name, displayName: name, passwordHash, createdAt });
		if (!created) throw new Error(`user ${name} exists`);
	});
	const cookies: string[][] = users.map(() =>
		Array.from({ length: spec.sessionsPerUser }, () => randomUUID()),
	);
	await forEach(users, 16, async (user, index) => {
		for (const id of cookies[index]!) {
			await store.createSession({ id, user, createdAt: now, lastUsedAt: now });
		}
	});
	for (const group of spec.groups ?? []) {
		const record = await store.createGroup(group.name, users[0]!, createdAt);
		if (!record) throw new Error(`group ${group.name} exists`);
		const members = users.slice(1, group.members).map((user) => ({ user, role: 'user' as const }));
		await store.changeGroup(record.id, (change) => change.put(members));
	}
	await store.whenDurable();
	return { users, password: benchPassword, cookies, buildMs: performance.now() - started };
}

/** Builds a fixture in a PostgreSQL database or a data folder (see `buildFixture`). */
export async function buildFixtureIn(target: FixtureTarget, spec: FixtureSpec): Promise<Fixture> {
	if ('dir' in target) return buildFixture(target.dir, spec);
	if (spec.history) throw new Error('a big history is built in a sql.js data folder only');
	const store = await openPostgresStore(target.storeUrl);
	try {
		return await fillStore(store, spec);
	} finally {
		await store.close();
	}
}

/**
 * Builds the data folder with the storage layer: `fillStore`, then messages inserted in large
 * write() batches. Ends with a snapshot unless a journal tail is asked for, in which case the
 * process must exit without closing (as after a crash) so the tail stays in the journal.
 */
export async function buildFixture(dir: string, spec: FixtureSpec): Promise<Fixture> {
	const started = performance.now();
	const store = await openChatStore(dir);
	const fixture = await fillStore(store, spec);
	const users = fixture.users;
	const history = spec.history;
	if (history) {
		await insertHistory(store.db, users, history.messages, history.conversations, 0);
		await acknowledgeAll(store, users);
		// As on a server that has been running: its search index has every message (and is saved
		// when the store closes), so no server of the bench starts by building it.
		await store.searchIndex.catchUp();
		await store.searchIndex.settled();
	}
	await store.close();
	if (history && history.journalTail > 0) {
		const reopened = await openChatStore(dir);
		await insertHistory(reopened.db, users, history.journalTail, history.conversations, 1);
		await acknowledgeAll(reopened, users);
		await reopened.whenDurable();
		// Deliberately not closed: the tail stays in the journal, as after a crash.
	}
	return { ...fixture, buildMs: performance.now() - started };
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
