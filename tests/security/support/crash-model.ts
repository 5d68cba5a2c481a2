import { expect } from 'vitest';
import type { RawClient } from '../../helpers/raw-client.js';
import { succeeded, type Operation } from './pipeline.js';

export type GroupState = { readonly exists: boolean; readonly members: readonly string[] };
type GroupStep = {
	readonly operation: Operation;
	readonly apply: (state: GroupState) => GroupState;
};
type SentMessage = { readonly operation: Operation; readonly conversation: string };

export type Observed = {
	readonly users: readonly string[];
	readonly groups: ReadonlyMap<string, GroupState>;
	/** Message body → id, over every conversation read. */
	readonly messages: ReadonlyMap<string, number>;
};

const absent: GroupState = { exists: false, members: [] };
const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/**
 * What the crash-test load asked for, and the rules a restarted server must obey: every change
 * answered 2xx is there, an unanswered one is there or not (but a later one only if all earlier
 * ones of its connection are: the journal keeps their order), nothing appears twice, and what
 * one restart showed, every later one shows too.
 */
export class CrashModel {
	readonly #users = new Map<string, Operation | undefined>();
	readonly #groups = new Map<string, GroupStep[]>();
	readonly #messages = new Map<string, SentMessage>();
	#previous: Observed | undefined;

	addUser(name: string, operation?: Operation): void {
		this.#users.set(name, operation);
	}

	addGroupStep(group: string, operation: Operation, apply: GroupStep['apply']): Operation {
		const steps = this.#groups.get(group) ?? [];
		steps.push({ operation, apply });
		this.#groups.set(group, steps);
		return operation;
	}

	addMessage(body: string, conversation: string, operation: Operation): Operation {
		this.#messages.set(body, { operation, conversation });
		return operation;
	}

	get groupNames(): string[] {
		return [...this.#groups.keys()];
	}

	/** Checks what a restarted server shows against the model and the previous restart. */
	check(observed: Observed, context: string): void {
		const users = new Set(observed.users);
		expect(users.size, `${context}: a user listed twice`).toBe(observed.users.length);
		for (const [name, operation] of this.#users) {
			if (!operation || succeeded(operation))
				expect(users.has(name), `${context}: ${name}`).toBe(true);
		}
		for (const name of users) expect(this.#users.has(name), `${context}: stray ${name}`).toBe(true);

		const deleted = new Set<string>();
		for (const [group, steps] of this.#groups) {
			const state = observed.groups.get(group) ?? absent;
			if (!state.exists) deleted.add(group);
			const possible = possibleStates(steps).map((s) => JSON.stringify(s));
			expect(possible, `${context}: group ${group}`).toContain(JSON.stringify(state));
		}

		for (const [body, { operation, conversation }] of this.#messages) {
			const id = observed.messages.get(body);
			const gone = conversation.startsWith('g:') && deleted.has(conversation.slice(2));
			if (succeeded(operation) && !gone) {
				const acknowledgedId = Number(operation.response!.headers.get('message-id'));
				expect(id, `${context}: acknowledged message ${body}`).toBe(acknowledgedId);
			}
		}
		for (const body of observed.messages.keys()) {
			expect(this.#messages.has(body), `${context}: stray message ${body}`).toBe(true);
		}
		const ids = [...observed.messages.values()];
		expect(new Set(ids).size, `${context}: a message id used twice`).toBe(ids.length);

		if (this.#previous) this.#checkKept(this.#previous, observed, context);
		this.#previous = observed;
	}

	/** What one restart showed stays: nothing that was there disappears or changes. */
	#checkKept(before: Observed, now: Observed, context: string): void {
		for (const user of before.users) expect(now.users, `${context}: lost ${user}`).toContain(user);
		for (const [group, state] of before.groups) {
			expect(now.groups.get(group) ?? absent, `${context}: group ${group} changed`).toEqual(state);
		}
		for (const [body, id] of before.messages) {
			expect(now.messages.get(body), `${context}: message ${body} changed`).toBe(id);
		}
	}
}

/**
 * The states a group can be in: answered steps applied when they succeeded, then any prefix of
 * the unanswered tail (the journal kept some of them, in order, or none).
 */
function possibleStates(steps: readonly GroupStep[]): GroupState[] {
	let state = absent;
	let index = 0;
	for (; index < steps.length && steps[index]!.operation.response; index++) {
		if (succeeded(steps[index]!.operation)) state = steps[index]!.apply(state);
	}
	const states = [normalize(state)];
	for (; index < steps.length; index++) {
		state = steps[index]!.apply(state);
		states.push(normalize(state));
	}
	return states;
}

function normalize(state: GroupState): GroupState {
	return state.exists ? { exists: true, members: sorted(state.members) } : absent;
}

/** Every message of a conversation, paging back with Before. */
export async function readConversation(client: RawClient, target: string) {
	const messages: Array<{ id: number; body: string }> = [];
	let before: number | undefined;
	for (let page = 0; page < 1000; page++) {
		const headers: Record<string, string> = { Limit: '500' };
		if (before !== undefined) headers.Before = String(before);
		const response = await client.request('HISTORY', target, headers);
		if (response.status === 404 || response.status === 403) return messages;
		expect(response.status).toBe(200);
		const batch: Array<{ id: number; body: string }> = response.json.messages;
		const ids = batch.map((message) => message.id);
		expect(ids, `HISTORY ${target} is in id order`).toEqual([...ids].sort((a, b) => a - b));
		messages.unshift(...batch);
		// A page cut short by size says `more`.
		if (batch.length < 500 && response.json.more !== true) return messages;
		before = batch[0]!.id;
	}
	throw new Error('a conversation with over 500,000 messages');
}

export async function readGroup(client: RawClient, group: string): Promise<GroupState> {
	const response = await client.request('LIST_USER', group);
	if (response.status === 404) return absent;
	expect(response.status).toBe(200);
	return { exists: true, members: sorted(response.json.users) };
}
