import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSessionId } from '../../source/domain/secrets.js';
import { logEntriesIn, plainLines } from '../helpers/log-capture.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { sendChunks } from './support/frame-reader.js';
import { killServerProcesses, startServerProcess } from './support/server-process.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the server log after the nasty things', () => {
	let temp: TempDir;
	beforeAll(async () => {
		temp = await makeTempDir();
	});
	afterAll(async () => {
		await killServerProcesses();
		await temp.remove();
	});

	it('holds no password, session id (or its hash) or message body, at debug level', async () => {
		const server = await startServerProcess(join(temp.dir, 'data'), [
			'--log-level',
			'debug',
			'--output-timeout',
			'1',
			'--frame-timeout',
			'1',
			'--limit-loopback',
			'--max-connections-per-ip',
			'4',
			'--rate-limit',
			'5',
			'--max-body',
			'4096',
		]);
		const passwords = ['Zq9-first-pässwörd', 'Zq9-second-🦊-pw', 'Zq9-third-OR-1=1'];
		const newPassword = 'Zq9-changed-password';
		const bodies = [
			'zebra-quartz-direct-7781',
			'zebra-quartz-group-7782',
			'zebra-quartz-edit-7783',
		];
		const sessions: string[] = [];
		const client = await RawClient.connect(server.port);
		for (const [index, pw] of passwords.entries()) {
			expect((await client.request('REG', `user${index}`, { Password: pw })).status).toBe(201);
			expect((await client.login(`user${index}`, pw)).status).toBe(200);
			sessions.push(client.cookie!);
		}
		// Wrong passwords, an unknown user, a password typed as a user name.
		await client.login('user0', passwords[1]!);
		await client.login('nobody', passwords[0]!);
		await client.login(passwords[2]!, passwords[2]!);
		// Messages with bodies that must stay out of the log, then a password change.
		client.cookie = sessions[0];
		expect((await client.request('SEND', 'user1', {}, bodies[0])).status).toBe(202);
		expect((await client.request('MK_GROUP', 'team')).status).toBe(201);
		expect((await client.request('SEND', 'team', {}, bodies[1])).status).toBe(202);
		const passwd = await client.request('PASSWD', undefined, {
			Password: passwords[0]!,
			'New-Password': newPassword,
		});
		expect(passwd.status).toBe(200);
		expect(
			(await client.request('PASSWD', undefined, { Password: 'wrong-wrong', 'New-Password': 'x' }))
				.status,
		).not.toBe(200);
		// A session logged out, then replayed; a made-up one.
		client.cookie = sessions[2];
		expect((await client.request('LOGOUT')).status).toBe(200);
		expect((await client.request('PING')).status).toBe(401);
		client.cookie = 'ffffffff-not-a-session-id-0000';
		sessions.push(client.cookie);
		expect((await client.request('SEND', 'user0', {}, bodies[2])).status).toBe(401);
		await client.close();

		// An oversized frame carrying a body and a cookie; a frame left unfinished.
		const oversized = `SEND user0 CHAT/1.0\r\nCookie: SESSIONID=${sessions[1]}\r\nContent-Length: 9000\r\n\r\n${bodies[2]!.repeat(300)}`;
		const big = await sendChunks(server.port, [Buffer.from(oversized)], 5000, {
			localAddress: '127.0.0.5',
		});
		expect(big.frames.map((f) => f.type === 'response' && f.response.status)).toContain(413);
		const slow = await RawClient.connect(server.port, '127.0.0.6');
		slow.write(`USE user1 CHAT/1.0\r\nPassword: ${passwords[1]}\r\n`);
		expect((await slow.nextResponse()).status).toBe(408);
		await slow.close();

		// A flood past the rate limit, from a logged-in user.
		const flooder = await RawClient.connect(server.port, '127.0.0.7');
		expect((await flooder.login('user1', passwords[1]!)).status).toBe(200);
		sessions.push(flooder.cookie!);
		flooder.write(`PING CHAT/1.0\r\nCookie: SESSIONID=${flooder.cookie}\r\n\r\n`.repeat(300));
		// A reader that stops reading, sending its cookie with every request.
		const writer = await RawClient.connect(server.port, '127.0.0.8');
		expect((await writer.login('user2', passwords[2]!)).status).toBe(200);
		sessions.push(writer.cookie!);
		for (let index = 0; index < 20; index++) {
			expect(
				(await writer.request('SEND', 'user1', {}, `${bodies[0]}-${index}`.padEnd(4000, '.')))
					.status,
			).toBe(202);
		}
		const reader = await RawClient.connect(server.port, '127.0.0.8');
		expect((await reader.login('user1', passwords[1]!)).status).toBe(200);
		sessions.push(reader.cookie!);
		reader.socket.pause();
		reader.write(`HISTORY user2 CHAT/1.0\r\nCookie: SESSIONID=${reader.cookie}\r\n\r\n`.repeat(90));
		// Past the per-address limit.
		const held = await Promise.all(
			Array.from({ length: 4 }, () => RawClient.connect(server.port, '127.0.0.9')),
		);
		const refused = await sendChunks(server.port, [Buffer.from('PING CHAT/1.0\r\n\r\n')], 5000, {
			localAddress: '127.0.0.9',
		});
		expect(refused.frames).toHaveLength(1);
		for (let wait = 0; wait < 100 && !/output-stall/.test(server.stderr()); wait++) await pause(50);
		await Promise.all([flooder, reader, writer, ...held].map((c) => c.close()));
		expect(await server.stop()).toBe(0);

		const log = server.stdout() + server.stderr();
		expect(plainLines(server.stderr())).toEqual([]);
		const entries = logEntriesIn(server.stderr());
		const seen = (event: string, reason?: string) =>
			entries.some(
				(entry) => entry.event === event && (reason === undefined || entry.reason === reason),
			);
		// The log did record the nasty things, so the search below means something.
		expect(seen('start') && seen('listening') && seen('stop', 'signal') && seen('stopped')).toBe(
			true,
		);
		expect(seen('connection-closed', 'oversized-frame')).toBe(true);
		expect(seen('connection-closed', 'frame-timeout')).toBe(true);
		expect(seen('rate-limited')).toBe(true);
		expect(seen('connection-dropped', 'output-stall')).toBe(true);
		expect(seen('connection-refused', 'per-address-limit')).toBe(true);
		expect(entries.find((entry) => entry.event === 'rate-limited')).toMatchObject({
			user: 'user1',
			address: '127.0.0.7',
		});

		expect(sessions).toHaveLength(7);
		const secrets = [
			...passwords,
			newPassword,
			...bodies,
			...sessions,
			...sessions.map((id) => hashSessionId(id)),
			// A hash prefix (an admin fingerprint) would be a deliberate field; none is logged.
			...sessions.map((id) => hashSessionId(id).slice(0, 12)),
			...sessions.map((id) => createHash('sha256').update(id).digest('hex').slice(0, 12)),
		];
		for (const secret of secrets) expect(log).not.toContain(secret);
		// The parts of a body or password would do just as much harm: none of the distinctive stems.
		expect(log).not.toMatch(/zebra-quartz|Zq9-/);
	}, 60_000);
});
