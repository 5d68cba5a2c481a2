import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultScryptParameters } from '../../source/domain/passwords.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import { sendChunks } from './support/frame-reader.js';
import { killServerProcesses, startServerProcess } from './support/server-process.js';

const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('password hashes', () => {
	it('are scrypt with their parameters and salt, made off the event loop', async () => {
		// Production parameters: about 32 MiB and tens of milliseconds a hash.
		const server = await startTestServer({ scrypt: defaultScryptParameters });
		try {
			const delay = monitorEventLoopDelay({ resolution: 1 });
			delay.enable();
			const started = performance.now();
			const clients = await Promise.all(
				Array.from({ length: 6 }, () => RawClient.connect(server.port)),
			);
			const answers = await Promise.all(
				clients.map((client, index) =>
					client.request('REG', `user${index}`, { Password: 'hunter2hunter2' }),
				),
			);
			const elapsed = performance.now() - started;
			delay.disable();
			expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
			// Hashing in the event loop would stall it for about the whole time; on the thread pool
			// it stays free to serve other connections.
			expect(delay.max / 1e6).toBeLessThan(elapsed / 2);
			const { N, r, p } = defaultScryptParameters;
			const hash = (await server.store.findUser('user0'))!.passwordHash;
			expect(hash).toMatch(
				new RegExp(`^scrypt\\$${N}\\$${r}\\$${p}\\$[A-Za-z0-9+/]{22}==\\$[A-Za-z0-9+/]{43}=$`),
			);
			await Promise.all(clients.map((client) => client.close()));
		} finally {
			await server.stop();
		}
	});
});

describe('session ids', () => {
	it('are random v4 UUIDs, all different', async () => {
		const server = await startTestServer();
		try {
			const client = await RawClient.connect(server.port);
			await client.request('REG', 'alice', { Password: 'hunter2hunter2' });
			const ids = new Set<string>();
			for (let index = 0; index < 100; index++) {
				await client.login('alice', 'hunter2hunter2');
				expect(client.cookie).toMatch(v4);
				ids.add(client.cookie!);
			}
			expect(ids.size).toBe(100);
			await client.close();
		} finally {
			await server.stop();
		}
	});
});

describe('what the server writes down', () => {
	let temp: TempDir;
	beforeAll(async () => {
		temp = await makeTempDir();
	});
	afterAll(async () => {
		await killServerProcesses();
		await temp.remove();
	});

	it('has no password or session id in any log line or data file', async () => {
		const dataDir = join(temp.dir, 'data');
		const server = await startServerProcess(dataDir, [
			'--output-timeout',
			'1',
			'--frame-timeout',
			'1',
			'--limit-loopback',
			'--max-connections-per-ip',
			'4',
			'--rate-limit',
			'0',
		]);
		const passwords = ['Tr0ub4dor&3-horse', 'pässwörd-🦊-12345', 'OR-1=1-password'];
		const sessions: string[] = [];
		const client = await RawClient.connect(server.port);
		for (const [index, pw] of passwords.entries()) {
			expect((await client.request('REG', `user${index}`, { Password: pw })).status).toBe(201);
			expect((await client.login(`user${index}`, pw)).status).toBe(200);
			sessions.push(client.cookie!);
		}
		// Failed logins: a wrong password, an unknown user, a password typed as the user name.
		await client.login('user0', passwords[1]!);
		await client.login('nobody', passwords[0]!);
		await client.login('Tr0ub4dor', passwords[2]!);
		for (let index = 0; index < 6; index++) await client.login('user1', `${passwords[0]}-${index}`);
		// A session used, logged out, then replayed.
		client.cookie = sessions[2];
		expect((await client.request('LOGOUT')).status).toBe(200);
		expect((await client.request('PING')).status).toBe(401);
		// Log lines: a reader dropped for not reading (it sends its cookie), refused connections.
		const writer = await RawClient.connect(server.port);
		expect((await writer.login('user2', passwords[2]!)).status).toBe(200);
		sessions.push(writer.cookie!);
		for (let index = 0; index < 20; index++) {
			expect((await writer.request('SEND', 'user0', {}, 'x'.repeat(60_000))).status).toBe(202);
		}
		const reader = await RawClient.connect(server.port);
		expect((await reader.login('user0', passwords[0]!)).status).toBe(200);
		sessions.push(reader.cookie!);
		reader.socket.pause();
		const history = `HISTORY user2 CHAT/1.0\r\nCookie: SESSIONID=${reader.cookie}\r\n\r\n`;
		for (let index = 0; index < 100; index++) reader.write(history);
		const held = await Promise.all(
			Array.from({ length: 4 }, () => RawClient.connect(server.port, '127.0.0.9')),
		);
		const refused = await sendChunks(server.port, [Buffer.from('PING\r\n\r\n')], 5000, {
			localAddress: '127.0.0.9',
		});
		expect(refused.frames).toHaveLength(1);
		for (let wait = 0; wait < 100 && !/dropping a connection/.test(server.stderr()); wait++) {
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		await Promise.all([client, reader, writer, ...held].map((c) => c.close()));
		expect(await server.stop()).toBe(0);

		const logs = server.stdout() + server.stderr();
		// The log is not empty, so the search below means something.
		expect(logs).toMatch(/dropping a connection of user0 from 127\.0\.0\.1/);
		expect(logs).toMatch(/refusing connections from 127\.0\.0\.9/);
		const files = await Promise.all(
			(await readdir(dataDir)).map((name) => readFile(join(dataDir, name))),
		);
		const secrets = [
			...passwords,
			...sessions,
			...sessions.map((id) => createHash('sha256').update(id).digest('base64url')),
		];
		expect(sessions.length).toBe(5);
		for (const secret of secrets) {
			expect(logs).not.toContain(secret);
		}
		for (const secret of [...passwords, ...sessions]) {
			for (const file of files) expect(file.includes(Buffer.from(secret))).toBe(false);
		}
	}, 60_000);
});
