import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { password } from '../helpers/chat-fixture.js';
import { send } from '../helpers/conversation-steps.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import {
	killServerProcesses,
	startServerProcess,
	type ServerProcess,
} from '../security/support/server-process.js';

// The postgres project runs this file too: the child server then stores in a fresh database.
const onPostgres = process.env.KORICHAT_TEST_STORE === 'postgres';

let temp: TempDir;
let database: TestDatabase | undefined;
let server: ServerProcess;
const start = () => startServerProcess(temp.dir, database ? ['--store', database.url] : []);

beforeEach(async () => {
	temp = await makeTempDir();
	database = onPostgres ? await createTestDatabase() : undefined;
	server = await start();
});
afterEach(async () => {
	await killServerProcesses();
	await database?.drop();
	await temp.remove();
});

async function login(user: string, register: boolean): Promise<RawClient> {
	const client = await RawClient.connect(server.port);
	if (register)
		expect((await client.request('REG', user, { Password: password })).status).toBe(201);
	expect((await client.login(user, password)).status).toBe(200);
	return client;
}

describe('§7 writes are on disk when answered: SIGKILL right after the 200', () => {
	it('keeps an EDIT, a DELETE and a READ', async () => {
		const adrian = await login('adrian', true);
		await login('josie', true);
		const edited = await send(adrian, 'josie', 'draft');
		const deleted = await send(adrian, 'josie', 'regret');
		const last = await send(adrian, 'josie', 'last');
		expect((await adrian.request('EDIT', String(edited), {}, 'final')).status).toBe(200);
		expect((await adrian.request('DELETE', String(deleted))).status).toBe(200);
		const read = await adrian.request('READ', 'josie', { 'Message-Id': String(last) });
		expect(read.status).toBe(200);
		await server.kill9();

		server = await start();
		const again = await login('adrian', false);
		const history = await again.request('HISTORY', 'josie');
		const items = history.json.messages;
		expect(items.map((m: { body: string }) => m.body)).toEqual(['final', '', 'last']);
		expect(items[0].edited).toMatch(/Z$/);
		expect(items[1].deleted).toBe(true);
		const unread = await again.request('UNREAD');
		expect(unread.json.conversations[0]).toMatchObject({ to: 'josie', lastRead: last });
	});

	it('keeps a PASSWD', async () => {
		const adrian = await login('adrian', true);
		const headers = { Password: password, 'New-Password': 'battery staple' };
		expect((await adrian.request('PASSWD', undefined, headers)).status).toBe(200);
		await server.kill9();

		server = await start();
		const client = await RawClient.connect(server.port);
		expect((await client.login('adrian', password)).status).toBe(401);
		expect((await client.login('adrian', 'battery staple')).status).toBe(200);
	});
});
