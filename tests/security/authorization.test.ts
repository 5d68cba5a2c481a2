import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import type { RawClient, RawResponse } from '../helpers/raw-client.js';

/**
 * Who asks. In every fresh group: olivia owns it, adam and ada are admins, mia is a user, sam is
 * not a member. `revoked` carries the cookie of a session that was logged out (a stolen cookie
 * after its owner left), `forged` a well-formed cookie the server never issued.
 */
const actors = ['anonymous', 'stranger', 'member', 'admin', 'owner', 'revoked', 'forged'] as const;
type Actor = (typeof actors)[number];
const userOf: Partial<Record<Actor, string>> = {
	stranger: 'sam',
	member: 'mia',
	admin: 'adam',
	owner: 'olivia',
};

type Expected = Record<Actor, number>;
/** The same answer for everyone logged in; 401 without a valid session. */
const loggedIn = (status: number): Expected => ({
	anonymous: 401,
	stranger: status,
	member: status,
	admin: status,
	owner: status,
	revoked: 401,
	forged: 401,
});
/** Group verbs: 401 without a session, then by role. */
const byRole = (stranger: number, member: number, admin: number, owner: number): Expected => ({
	anonymous: 401,
	stranger,
	member,
	admin,
	owner,
	revoked: 401,
	forged: 401,
});
const everyone = (status: number): Expected => ({
	anonymous: status,
	stranger: status,
	member: status,
	admin: status,
	owner: status,
	revoked: status,
	forged: status,
});

type Row = {
	readonly name: string;
	/** The request, given a fresh group and a fresh name. */
	readonly request: (
		group: string,
		fresh: string,
	) => [string, string?, Record<string, string>?, string?];
	readonly expected: Expected;
};

// PROTOCOL.md §2 and §4, verb by verb.
const rows: Row[] = [
	{
		name: 'PING',
		request: () => ['PING'],
		expected: { ...everyone(200), revoked: 401, forged: 401 },
	},
	{
		name: 'REG a new name',
		request: (_g, fresh) => ['REG', fresh, { Password: password }],
		expected: everyone(201),
	},
	{
		name: 'REG a taken name',
		request: () => ['REG', 'olivia', { Password: password }],
		expected: everyone(409),
	},
	{
		name: 'USE with a wrong password',
		request: () => ['USE', 'mia', { Password: 'not her password' }],
		expected: everyone(401),
	},
	{ name: 'LOGOUT', request: () => ['LOGOUT'], expected: loggedIn(200) },
	{ name: 'LIST_USER', request: () => ['LIST_USER'], expected: loggedIn(200) },
	{
		name: 'LIST_USER <group>',
		request: (g) => ['LIST_USER', g],
		expected: byRole(403, 200, 200, 200),
	},
	{
		name: 'LIST_USER <unknown group>',
		request: () => ['LIST_USER', 'nosuchgroup'],
		expected: loggedIn(404),
	},
	{ name: 'LIST_GROUP', request: () => ['LIST_GROUP'], expected: loggedIn(200) },
	{ name: 'MK_GROUP <new>', request: (_g, fresh) => ['MK_GROUP', fresh], expected: loggedIn(201) },
	{
		name: 'MK_GROUP <new>:<someone else>',
		request: (_g, fresh) => ['MK_GROUP', `${fresh}:olivia`],
		expected: byRole(403, 403, 403, 201),
	},
	{ name: 'MK_GROUP <taken>', request: (g) => ['MK_GROUP', g], expected: loggedIn(409) },
	{
		name: 'ADD_USER as user',
		request: (g) => ['ADD_USER', g, { Invite: 'tina' }],
		expected: byRole(403, 403, 200, 200),
	},
	{
		name: 'ADD_USER as admin',
		request: (g) => ['ADD_USER', g, { Invite: 'tina:admin' }],
		expected: byRole(403, 403, 403, 200),
	},
	{
		name: 'ADD_USER promoting a user',
		request: (g) => ['ADD_USER', g, { Invite: 'mia:admin' }],
		expected: byRole(403, 403, 403, 200),
	},
	{
		name: 'ADD_USER <unknown user>',
		request: (g) => ['ADD_USER', g, { Invite: 'tina,ghost' }],
		expected: byRole(403, 403, 404, 404),
	},
	{
		name: 'RM_USER a user',
		request: (g) => ['RM_USER', g, { Remove: 'mia' }],
		expected: byRole(403, 403, 200, 200),
	},
	{
		name: 'RM_USER another admin',
		request: (g) => ['RM_USER', g, { Remove: 'ada' }],
		expected: byRole(403, 403, 403, 200),
	},
	{
		name: 'RM_USER the owner',
		request: (g) => ['RM_USER', g, { Remove: 'olivia' }],
		expected: byRole(403, 403, 403, 403),
	},
	{ name: 'LEAVE', request: (g) => ['LEAVE', g], expected: byRole(403, 200, 200, 409) },
	{ name: 'RM_GROUP', request: (g) => ['RM_GROUP', g], expected: byRole(403, 403, 403, 200) },
	{
		name: 'SEND <group>',
		request: (g) => ['SEND', g, {}, 'hello group'],
		expected: byRole(403, 202, 202, 202),
	},
	{ name: 'HISTORY <group>', request: (g) => ['HISTORY', g], expected: byRole(403, 200, 200, 200) },
	{
		name: 'SEND <user>',
		request: () => ['SEND', 'tina', {}, 'hello tina'],
		expected: loggedIn(202),
	},
	{
		name: 'SEND <unknown>',
		request: () => ['SEND', 'ghost', {}, 'anyone?'],
		expected: loggedIn(404),
	},
	{ name: 'HISTORY <user>', request: () => ['HISTORY', 'tina'], expected: loggedIn(200) },
	{ name: 'ACK <id>', request: () => ['ACK', '1'], expected: loggedIn(200) },
	{ name: 'ACK <not an id>', request: () => ['ACK', 'one'], expected: loggedIn(400) },
	{ name: 'an unknown verb', request: () => ['FROB', 'x'], expected: everyone(405) },
];

let chat: ChatFixture;
let revokedCookie: string;
const secrets = { dm: `secret-dm-${randomUUID()}`, group: `secret-group-${randomUUID()}` };
/** Every outsider's connection, to search everything it received for the secrets. */
const seen: RawClient[] = [];
/** And every response an outsider got in the matrix. */
const outsiderResponses: string[] = [];
let counter = 0;

beforeAll(async () => {
	// The failed-login throttle is tested on its own; here it would turn the USE row into 429s.
	chat = await chatFixture({ failedLoginLimit: 0 });
	for (const user of ['olivia', 'adam', 'ada', 'mia', 'sam', 'tina', 'revokee'])
		await chat.register(user);
	const revokee = await chat.user('revokee', { register: false });
	revokedCookie = revokee.cookie!;
	expect((await revokee.request('LOGOUT')).status).toBe(200);
	// What nobody but olivia and mia may ever read.
	const olivia = await chat.user('olivia', { register: false });
	expect((await olivia.request('SEND', 'mia', {}, secrets.dm)).status).toBe(202);
	expect((await olivia.request('MK_GROUP', 'vault')).status).toBe(201);
	expect((await olivia.request('ADD_USER', 'vault', { Invite: 'mia' })).status).toBe(200);
	expect((await olivia.request('SEND', 'vault', {}, secrets.group)).status).toBe(202);
});
afterAll(async () => {
	await chat.close();
});

async function freshGroup(): Promise<string> {
	const group = `g${++counter}`;
	const owner = await chat.user('olivia', { register: false });
	expect((await owner.request('MK_GROUP', group)).status).toBe(201);
	const added = await owner.request('ADD_USER', group, { Invite: 'adam:admin,ada:admin,mia' });
	expect(added.status).toBe(200);
	await owner.close();
	return group;
}

async function connectAs(actor: Actor): Promise<RawClient> {
	const user = userOf[actor];
	const client = user ? await chat.user(user, { register: false }) : await chat.connect();
	if (actor === 'revoked') client.cookie = revokedCookie;
	if (actor === 'forged') client.cookie = randomUUID();
	// olivia and mia may read the secrets; everyone else is an outsider.
	if (actor !== 'owner' && actor !== 'member') seen.push(client);
	return client;
}

describe('the authorization matrix: every verb × every kind of caller', () => {
	for (const row of rows) {
		it(`${row.name}`, async () => {
			const answers: Partial<Record<Actor, number>> = {};
			for (const actor of actors) {
				const group = await freshGroup();
				const client = await connectAs(actor);
				const [verb, target, headers, body] = row.request(group, `n${++counter}`);
				const response: RawResponse = await client.request(verb, target, headers, body);
				answers[actor] = response.status;
				if (seen.includes(client)) outsiderResponses.push(response.text);
				if (response.status >= 400) expect(response.json.error).toEqual(expect.any(String));
				if (response.status === 401 && client.cookie && verb !== 'USE' && verb !== 'REG') {
					expect(response.headers.get('set-cookie')).toBe('SESSIONID=; Max-Age=0');
				}
			}
			expect(answers).toEqual(row.expected);
		});
	}
});

describe('what nobody else may read', () => {
	it('never shows a DM or a group message to anyone outside it', async () => {
		const outsiders = await Promise.all(
			['sam', 'adam', 'tina'].map((user) => chat.user(user, { register: false })),
		);
		for (const outsider of outsiders) {
			seen.push(outsider);
			for (const target of ['olivia', 'mia']) {
				const history = await outsider.request('HISTORY', target, { Limit: '500' });
				expect(history.status).toBe(200);
				expect(history.text).not.toContain(secrets.dm);
				expect(history.text).not.toContain(secrets.group);
			}
			expect((await outsider.request('HISTORY', 'vault')).status).toBe(403);
			expect((await outsider.request('LIST_USER', 'vault')).status).toBe(403);
			expect((await outsider.request('SEND', 'vault', {}, 'let me in')).status).toBe(403);
			const groups = (await outsider.request('LIST_GROUP')).json.groups.map((g: any) => g.name);
			expect(groups).not.toContain('vault');
		}
	});

	it('stops a removed member reading or receiving the group', async () => {
		const olivia = await chat.user('olivia', { register: false });
		const tina = await chat.user('tina', { register: false });
		seen.push(tina);
		await olivia.request('MK_GROUP', 'club');
		await olivia.request('ADD_USER', 'club', { Invite: 'tina' });
		await olivia.request('RM_USER', 'club', { Remove: 'tina' });
		expect(
			(await olivia.request('SEND', 'club', {}, `after-removal-${secrets.group}`)).status,
		).toBe(202);
		expect((await tina.request('HISTORY', 'club')).status).toBe(403);
		expect((await tina.request('PING')).status).toBe(200);
	});

	it('gives a re-created group none of the old one’s messages', async () => {
		const olivia = await chat.user('olivia', { register: false });
		await olivia.request('MK_GROUP', 'reused');
		await olivia.request('SEND', 'reused', {}, `old-${secrets.group}`);
		expect((await olivia.request('RM_GROUP', 'reused')).status).toBe(200);
		const sam = await chat.user('sam', { register: false });
		seen.push(sam);
		expect((await sam.request('MK_GROUP', 'reused')).status).toBe(201);
		expect((await sam.request('HISTORY', 'reused')).json.messages).toEqual([]);
	});

	it('lets nobody acknowledge (drop) another user’s queue', async () => {
		const olivia = await chat.user('olivia', { register: false });
		const sent = await olivia.request('SEND', 'tina', {}, 'queued for tina');
		const sam = await chat.user('sam', { register: false });
		expect((await sam.request('ACK', '999999')).status).toBe(200);
		const tina = await chat.user('tina', { register: false });
		const push = await tina.waitForPush(
			(p) => p.headers.get('message-id') === sent.headers.get('message-id'),
		);
		expect(push.text).toBe('queued for tina');
	});

	it('leaked nothing to any outsider connection of this file', async () => {
		// Give late pushes a moment to land before searching.
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(seen.length).toBeGreaterThan(rows.length * 5);
		expect(outsiderResponses.length).toBe(rows.length * 5);
		for (const text of outsiderResponses) {
			expect(text).not.toContain(secrets.dm);
			expect(text).not.toContain(secrets.group);
		}
		for (const client of seen) {
			const received = [
				...client.pushes.map((push) => push.text),
				...client.pushes.map((push) => JSON.stringify([...push.headers])),
			].join('\n');
			expect(received).not.toContain(secrets.dm);
			expect(received).not.toContain(secrets.group);
		}
	});
});
