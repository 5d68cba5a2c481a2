import { afterEach } from 'vitest';
import type { ChatStore } from '../../source/domain/store.js';
import type { NewMessage } from '../../source/domain/types.js';

/** Opens a store over empty storage of its own; `close` releases the store and the storage. */
export type ChatStoreMaker = () => Promise<{ readonly store: ChatStore; close(): Promise<void> }>;

export const date = '2026-11-25T12:00:00.000Z';

/** `open()` for one test: every store it made is released after the test. */
export function useStores(make: ChatStoreMaker): () => Promise<ChatStore> {
	const opened: (() => Promise<void>)[] = [];
	afterEach(async () => {
		await Promise.all(opened.splice(0).map((close) => close()));
	});
	return async () => {
		const made = await make();
		opened.push(() => made.close());
		return made.store;
	};
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
