import { afterEach } from 'vitest';
import type { ChatStore } from '../../source/domain/store.js';
import type { NewMessage } from '../../source/domain/types.js';

/**
 * Opens a store over empty storage of its own; `close` releases the store and the storage.
 * `reopen` closes the store and opens a new one over the same storage (what a restart sees).
 */
export type ChatStoreMaker = () => Promise<{
	readonly store: ChatStore;
	close(): Promise<void>;
	reopen?(): Promise<ChatStore>;
}>;

export const date = '2026-11-25T12:00:00.000Z';

/** Opens a store for one test; `reopen(store)` restarts it over the same storage. */
export type StoreOpener = {
	(): Promise<ChatStore>;
	reopen(store: ChatStore): Promise<ChatStore>;
};

/** `open()` for one test: every store it made is released after the test. */
export function useStores(make: ChatStoreMaker): StoreOpener {
	const opened: (() => Promise<void>)[] = [];
	const reopeners = new Map<ChatStore, () => Promise<ChatStore>>();
	afterEach(async () => {
		reopeners.clear();
		await Promise.all(opened.splice(0).map((close) => close()));
	});
	const open = async () => {
		const made = await make();
		opened.push(() => made.close());
		if (made.reopen) reopeners.set(made.store, made.reopen.bind(made));
		return made.store;
	};
	const reopen = async (store: ChatStore) => {
		const reopener = reopeners.get(store);
		if (!reopener)
			throw new Error('this ChatStoreMaker gives no reopen(): add one to run this test');
		const fresh = await reopener();
		reopeners.set(fresh, reopener);
		return fresh;
	};
	return Object.assign(open, { reopen });
}

export async function withUsers(store: ChatStore, names: readonly string[]): Promise<void> {
	for (const name of names) {
		await store.createUser({ name, displayName: name, passwordHash: 'x', createdAt: date });
	}
}

export const direct = (from: string, to: string, body: string, at = date): NewMessage => ({
	from,
	to,
	group: null,
	body,
	date: at,
});

export const toGroup = (from: string, group: string, body: string): NewMessage => ({
	from,
	to: group,
	group,
	body,
	date,
});

/** The conversation key of a direct message, as domain/messages.ts makes it. */
export const directKey = (a: string, b: string) => (a < b ? `d:${a}:${b}` : `d:${b}:${a}`);

/** Appends a direct message under its key; resolves to the stored message. */
export async function sendDirect(store: ChatStore, from: string, to: string, body: string) {
	return (await store.appendMessage(direct(from, to, body), directKey(from, to), null)).message;
}

/** Appends a group message under `g:<id>`; resolves to the stored message. */
export async function sendToGroup(
	store: ChatStore,
	from: string,
	group: { readonly id: number; readonly name: string },
	body: string,
) {
	return (await store.appendMessage(toGroup(from, group.name, body), `g:${group.id}`, group.id))
		.message;
}

export const bodies = async (store: ChatStore, user: string) =>
	(await store.pending(user, 0, 100)).map((message) => message.body);

/** A group named `name` owned by the first user, with the others as plain members. */
export async function crew(store: ChatStore, name: string, [owner, ...others]: readonly string[]) {
	const group = (await store.createGroup(name, owner!, date))!;
	await store.changeGroup(group.id, (change) =>
		change.put(others.map((user) => ({ user, role: 'user' as const }))),
	);
	return group;
}
