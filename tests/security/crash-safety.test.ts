import { existsSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import {
	CrashModel,
	readConversation,
	readGroup,
	type GroupState,
	type Observed,
} from './support/crash-model.js';
import { drive, type Operation } from './support/pipeline.js';
import {
	killServerProcesses,
	startServerProcess,
	type ServerProcess,
} from './support/server-process.js';

// KORICHAT_CRASH_TEST_ROUNDS raises it for a soak; a round takes a second or two.
const rounds = Number(process.env.KORICHAT_CRASH_TEST_ROUNDS ?? 20);
const password = 'correct horse battery';
// Snapshots every few KiB of journal, so kills land in the middle of them too.
const args = ['--rate-limit', '0', '--snapshot-after', '4096'];
const directs = [
	['alice', 'bob'],
	['alice', 'carol'],
	['bob', 'carol'],
] as const;

let temp: TempDir;
let server: ServerProcess | undefined;
const cookies = new Map<string, string>();
const model = new CrashModel();

beforeAll(async () => {
	temp = await makeTempDir('korichat-kill9-');
});
afterAll(async () => {
	await killServerProcesses();
	await temp.remove();
});

async function connectAs(user?: string): Promise<RawClient> {
	const client = await RawClient.connect(server!.port);
	if (user) client.cookie = cookies.get(user);
	return client;
}

/** alice's pipeline: groups made, filled, written to, trimmed and sometimes deleted. */
function* aliceLoad(round: number): Generator<Operation> {
	for (let index = 0; ; index++) {
		const group = `g${round}-${index}`;
		const step = (operation: Operation, apply: (state: GroupState) => GroupState) =>
			model.addGroupStep(group, operation, apply);
		yield step({ verb: 'MK_GROUP', target: group }, () => ({ exists: true, members: ['alice'] }));
		yield step({ verb: 'ADD_USER', target: group, headers: { Invite: 'bob,carol' } }, (s) => ({
			...s,
			members: [...s.members, 'bob', 'carol'],
		}));
		const toGroup = `${group} says ${index} ✓`;
		yield step(
			model.addMessage(toGroup, `g:${group}`, { verb: 'SEND', target: group, body: toGroup }),
			(s) => s,
		);
		for (const to of ['bob', 'carol']) {
			const body = `alice to ${to} ${round}/${index} 🦊`;
			yield model.addMessage(body, `d:alice:${to}`, { verb: 'SEND', target: to, body });
		}
		yield step({ verb: 'RM_USER', target: group, headers: { Remove: 'carol' } }, (s) => ({
			...s,
			members: s.members.filter((member) => member !== 'carol'),
		}));
		if (index % 3 === 2) {
			yield step({ verb: 'RM_GROUP', target: group }, () => ({ exists: false, members: [] }));
		}
	}
}

function* bobLoad(round: number): Generator<Operation> {
	for (let index = 0; ; index++) {
		const to = index % 2 ? 'alice' : 'carol';
		const body = `bob to ${to} ${round}/${index}`;
		yield model.addMessage(body, to === 'alice' ? 'd:alice:bob' : 'd:bob:carol', {
			verb: 'SEND',
			target: to,
			body,
		});
	}
}

function* registrations(round: number): Generator<Operation> {
	for (let index = 0; ; index++) {
		const name = `u${round}-${index}`;
		const operation: Operation = {
			verb: 'REG',
			target: name,
			headers: { Password: password, Name: `User ${round}/${index}` },
		};
		model.addUser(name, operation);
		yield operation;
	}
}

async function observe(): Promise<Observed> {
	const alice = await connectAs('alice');
	const bob = await connectAs('bob');
	try {
		const listed = await alice.request('LIST_USER');
		expect(listed.status).toBe(200);
		const groups = new Map();
		for (const group of model.groupNames) groups.set(group, await readGroup(alice, group));
		const messages = new Map<string, number>();
		const read = async (client: RawClient, target: string) => {
			for (const message of await readConversation(client, target)) {
				expect(messages.has(message.body), `${message.body} stored twice`).toBe(false);
				messages.set(message.body, message.id);
			}
		};
		for (const [reader, target] of directs) await read(reader === 'alice' ? alice : bob, target);
		for (const [group, state] of groups) if (state.exists) await read(alice, group);
		const own = await alice.request('LIST_GROUP');
		const existing = [...groups].filter(([, state]) => state.exists).map(([name]) => name);
		expect(own.json.groups.map((g: any) => g.name).sort()).toEqual(existing.sort());
		return { users: listed.json.users, groups, messages };
	} finally {
		await Promise.all([alice.close(), bob.close()]);
	}
}

async function setUp(): Promise<void> {
	const client = await connectAs();
	for (const name of ['alice', 'bob', 'carol']) {
		expect((await client.request('REG', name, { Password: password })).status).toBe(201);
		model.addUser(name);
		const login = await client.login(name, password);
		expect(login.status).toBe(200);
		cookies.set(name, client.cookie!);
	}
	await client.close();
}

/** Resolves when the server starts writing a temp snapshot (or after `timeoutMs`). */
function snapshotStarts(timeoutMs: number): { started: Promise<boolean>; stop(): void } {
	let resolve!: (started: boolean) => void;
	const started = new Promise<boolean>((done) => (resolve = done));
	const watcher = watch(temp.dir, (_event, name) => {
		if (name === 'snapshot.db.tmp') resolve(true);
	});
	const timer = setTimeout(() => resolve(false), timeoutMs);
	return {
		started,
		stop() {
			clearTimeout(timer);
			watcher.close();
		},
	};
}

/**
 * Runs the load, then kills the server with SIGKILL mid-flight: after `delayMs`, or, when
 * `atSnapshot`, the moment after that when it starts writing a snapshot.
 */
async function loadAndKill(round: number, delayMs: number, atSnapshot: boolean): Promise<number> {
	const clients = await Promise.all([connectAs('alice'), connectAs('bob'), connectAs()]);
	const [alice, bob, anonymous] = clients;
	const sent: Operation[] = [];
	const load = Promise.all([
		drive(alice, aliceLoad(round), 16, sent),
		drive(bob, bobLoad(round), 8, sent),
		drive(anonymous, registrations(round), 4, sent),
	]);
	await new Promise((resolve) => setTimeout(resolve, delayMs));
	if (atSnapshot) {
		const snapshot = snapshotStarts(2000);
		await snapshot.started;
		snapshot.stop();
	}
	await server!.kill9();
	// Responses the server wrote before it died still count: read until each socket closes.
	await Promise.all(clients.map((client) => client.closed));
	await load;
	return sent.filter((operation) => operation.response).length;
}

describe('kill -9 of the real server under load', () => {
	it(`keeps every acknowledged change through ${rounds} random kills`, async () => {
		server = await startServerProcess(temp.dir, args);
		await setUp();
		let answered = 0;
		let killedMidSnapshot = 0;
		let generation = 0;
		for (let round = 0; round < rounds; round++) {
			// Some kills land while the server is still starting or recovering, some mid-snapshot.
			const delayMs = round % 5 === 4 ? Math.random() * 20 : 20 + Math.random() * 300;
			const newestBefore = Math.max(0, ...journalGenerations());
			answered += await loadAndKill(round, delayMs, round % 3 === 1);
			// Mid-snapshot: its temp file is there, or it started a journal this round and the
			// journals it replaces are not deleted yet.
			const generations = journalGenerations();
			const rotated = Math.max(...generations) > newestBefore && generations.length > 1;
			if (existsSync(join(temp.dir, 'snapshot.db.tmp')) || rotated) killedMidSnapshot++;
			generation = Math.max(generation, ...generations);
			server = await startServerProcess(temp.dir, args);
			model.check(await observe(), `after round ${round} (killed at ${Math.round(delayMs)} ms)`);
		}
		expect(answered).toBeGreaterThan(rounds * 10);
		expect(existsSync(join(temp.dir, 'snapshot.db'))).toBe(true);
		expect(killedMidSnapshot).toBeGreaterThan(0);
		expect(generation, 'snapshots were taken').toBeGreaterThan(5);

		// A clean stop snapshots; what it wrote opens to the same state.
		expect(await server.stop()).toBe(0);
		server = await startServerProcess(temp.dir, args);
		model.check(await observe(), 'after a clean restart');
		await checkOfflineQueue();
		console.info(
			`kill -9: ${rounds} rounds, ${answered} answered requests, ${generation} snapshots, ` +
				`${killedMidSnapshot} kills mid-snapshot`,
		);
	}, 180_000);
});

/** Each snapshot starts a new journal generation. */
function journalGenerations(): number[] {
	return readdirSync(temp.dir)
		.map((name) => /^journal\.(\d+)\.log$/.exec(name)?.[1])
		.filter((generation) => generation !== undefined)
		.map(Number);
}

/** carol never logged in during the load: every DM acknowledged to her is queued, in order, once. */
async function checkOfflineQueue(): Promise<void> {
	const carol = await connectAs('carol');
	try {
		expect((await carol.request('PING')).status).toBe(200);
		const expected = new Set<number>();
		for (const from of ['alice', 'bob']) {
			const reader = await connectAs(from);
			for (const message of await readConversation(reader, 'carol')) {
				if ((message as any).to === 'carol') expected.add(message.id);
			}
			await reader.close();
		}
		expect(expected.size).toBeGreaterThan(0);
		const seen: number[] = [];
		for (let guard = 0; guard < 100_000; guard++) {
			if (expected.size === seen.filter((id) => expected.has(id)).length) break;
			const push = await carol.waitForPush((p) => p.kind === 'MSG');
			seen.push(Number(push.headers.get('message-id')));
		}
		expect(new Set(seen).size).toBe(seen.length);
		expect(seen).toEqual([...seen].sort((a, b) => a - b));
		expect(seen.filter((id) => expected.has(id)).sort()).toEqual([...expected].sort());
	} finally {
		await carol.close();
	}
}
