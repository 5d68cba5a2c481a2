import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeRequest } from '../../source/protocol/encoder.js';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { RawClient } from '../helpers/raw-client.js';
import { startTestServer } from '../helpers/test-server.js';
import { sendChunks, type ConnectionOutcome } from './support/frame-reader.js';
import { captureLog } from '../helpers/log-capture.js';

// Raise with KORICHAT_FUZZ_RUNS for a longer hunt; each run is 24 hostile connections.
const runs = Number(process.env.KORICHAT_FUZZ_RUNS ?? 25);
const connectionsPerRun = 24;

let chat: ChatFixture;
let alice: RawClient;
let bob: RawClient;
let malloryCookie: string;
const { log: logsLog, messages: logs } = captureLog();
/** The good users' conversations as they wrote them: target → bodies, in order. */
const written = { team: [] as string[], bob: [] as string[] };

beforeAll(async () => {
	chat = await chatFixture({ rateLimit: 0, frameTimeoutMs: 3000, log: logsLog });
	alice = await chat.user('alice');
	bob = await chat.user('bob');
	malloryCookie = (await chat.user('mallory')).cookie!;
	expect((await alice.request('MK_GROUP', 'team')).status).toBe(201);
	expect((await alice.request('ADD_USER', 'team', { Invite: 'bob' })).status).toBe(200);
	await talk(10);
});
afterAll(async () => {
	await chat.close();
});

/** alice and bob write to each other and to their group, with awkward bodies. */
async function talk(count: number): Promise<void> {
	for (let index = 0; index < count; index++) {
		const body = `#${written.bob.length} it's "quoted"; DROP TABLE messages;-- \0 ✓ \u202Eevil\u202C 🦊\r\n.`;
		expect((await alice.request('SEND', 'bob', {}, body)).status).toBe(202);
		written.bob.push(body);
		const group = `team #${written.team.length} \u001b[31mred\u001b[0m`;
		expect((await bob.request('SEND', 'team', {}, group)).status).toBe(202);
		written.team.push(group);
	}
}

/** Valid requests of every verb, as mallory (a logged-in stranger to alice and bob) sends them. */
function seedFrames(): Buffer[] {
	const cookie: [string, string] = ['Cookie', `SESSIONID=${malloryCookie}`];
	const request = (
		verb: string,
		target?: string,
		headers: [string, string][] = [],
		body?: string,
	) => encodeRequest(verb, target, [cookie, ...headers], body);
	return [
		request('PING'),
		request('LIST_USER'),
		request('LIST_USER', 'team'),
		request('LIST_GROUP'),
		request('SEND', 'bob', [['Request-Id', '7']], 'hi bob'),
		request('SEND', 'team', [], 'let me in'),
		request('HISTORY', 'alice', [['Limit', '5']]),
		request('HISTORY', 'team', [['Before', '99']]),
		request('MK_GROUP', 'den'),
		request('ADD_USER', 'den', [['Invite', 'bob:admin,alice']]),
		request('RM_USER', 'team', [['Remove', 'bob']]),
		request('LEAVE', 'team'),
		request('RM_GROUP', 'team'),
		request('ACK', '3'),
		encodeRequest('REG', 'eve', [['Password', password]]),
		encodeRequest('USE', 'mallory', [['Password', password]]),
		Buffer.from('SEND bob\nContent-Length: 4\n\nbare'),
		Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'),
		Buffer.from('SEND bob\r\nContent-Length: 70000\r\n\r\n'),
		Buffer.from(`PING\r\nX-Padding: ${'a'.repeat(9000)}\r\n\r\n`),
	];
}

type Mutation = { kind: 'flip' | 'insert' | 'delete' | 'repeat'; at: number; byte: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
	kind: fc.constantFrom('flip', 'insert', 'delete', 'repeat'),
	at: fc.nat(),
	byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0x3a, 0x20, 0x30)),
});

function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
	let result = bytes;
	for (const { kind, at: position, byte } of mutations) {
		const at = position % (result.length + 1);
		const [before, after] = [result.subarray(0, at), result.subarray(at)];
		if (kind === 'insert') result = Buffer.concat([before, Buffer.from([byte]), after]);
		else if (kind === 'delete') result = Buffer.concat([before, after.subarray(1)]);
		else if (kind === 'repeat') result = Buffer.concat([before, after.subarray(0, byte), after]);
		else if (at < result.length) (result = Buffer.from(result))[at] = byte;
	}
	return result;
}

function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	return [...points, bytes.length].map((end, index) => bytes.subarray(points[index - 1] ?? 0, end));
}

const hostileStream = (seeds: Buffer[]) =>
	fc
		.tuple(
			fc.oneof(
				{
					weight: 4,
					arbitrary: fc.array(fc.constantFrom(...seeds), { minLength: 1, maxLength: 8 }),
				},
				{ weight: 1, arbitrary: fc.uint8Array({ maxLength: 400 }).map((b) => [Buffer.from(b)]) },
			),
			fc.array(mutation, { maxLength: 6 }),
			fc.array(fc.nat(), { maxLength: 6 }),
		)
		.map(([frames, mutations, cuts]) => chunked(mutate(Buffer.concat(frames), mutations), cuts));

function checkOutcome(outcome: ConnectionOutcome): void {
	expect(outcome.malformed).toEqual([]);
	for (const frame of outcome.frames) {
		if (frame.type !== 'response') continue;
		expect(frame.response.status, frame.response.body.toString()).not.toBe(500);
		if (frame.response.status >= 400) {
			expect(JSON.parse(frame.response.body.toString()).error).toEqual(expect.any(String));
		}
	}
}

async function expectConversationsIntact(reader: RawClient): Promise<void> {
	const history = async (target: string) =>
		(await reader.request('HISTORY', target, { Limit: '500' })).json.messages;
	const team = await history('team');
	expect(team.map((m: any) => m.body)).toEqual(written.team);
	expect(new Set(team.map((m: any) => m.from))).toEqual(new Set(['bob']));
	const direct = await history('bob');
	expect(direct.map((m: any) => m.body)).toEqual(written.bob);
	expect(new Set(direct.map((m: any) => m.from))).toEqual(new Set(['alice']));
}

describe('mutated frames over many connections', () => {
	it('never break the server, another connection, or a stored message', async () => {
		const seeds = seedFrames();
		const statuses = new Map<number, number>();
		await fc.assert(
			fc.asyncProperty(
				fc.array(hostileStream(seeds), {
					minLength: connectionsPerRun,
					maxLength: connectionsPerRun,
				}),
				async (streams) => {
					const outcomes = await Promise.all(
						streams.map((chunks) => sendChunks(chat.server.port, chunks, 10_000)),
					);
					for (const outcome of outcomes) checkOutcome(outcome);
					for (const { frames } of outcomes) {
						for (const frame of frames) {
							if (frame.type !== 'response') continue;
							const { status } = frame.response;
							statuses.set(status, (statuses.get(status) ?? 0) + 1);
						}
					}
					// The good users' connections lived through it, and go on talking.
					expect((await alice.request('PING')).status).toBe(200);
					await talk(1);
				},
			),
			{ numRuns: runs },
		);
		// The mutations reached every layer: framing, login, authorization, the handlers.
		expect([...statuses.keys()]).toEqual(
			expect.arrayContaining([200, 202, 400, 401, 403, 405, 409, 413, 431]),
		);
		expect(logs.filter((line) => line.startsWith('error handling'))).toEqual([]);

		await expectConversationsIntact(alice);
		const newcomer = await chat.user('newcomer');
		expect((await newcomer.request('HISTORY', 'team')).status).toBe(403);

		// What hostile input stored opens again, and reads the same.
		const dataDir = chat.server.dataDir;
		await chat.server.close();
		const reopened = await startTestServer({}, dataDir);
		try {
			const client = await RawClient.connect(reopened.port);
			expect((await client.login('alice', password)).status).toBe(200);
			await expectConversationsIntact(client);
			await client.close();
		} finally {
			await reopened.close();
		}
	}, 120_000);
});
