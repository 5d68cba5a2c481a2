import { afterAll, describe, expect, it } from 'vitest';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { admin, startServer, type RunningServer } from './operator.js';

// docs/operating.md "What is never logged": no password (REG, USE, PASSWD), no session id or
// cookie, no message body — at any --log-level.
const SECRETS = {
	regPassword: 'RegSecret-4f1a9c',
	wrongPassword: 'WrongGuess-8b2d7e',
	newPassword: 'PasswdNew-3c9e0f',
	adminPassword: 'AdminMade-6d1b2a',
	dmBody: 'BodyDirect-71e5aa',
	groupBody: 'BodyGroup-9a0c44',
	oversizedBody: 'BodyTooBig-52fd19',
	unknownVerbBody: 'BodyUnknownVerb-0be1',
};

describe('no secrets in the log (acceptance)', () => {
	let temp: TempDir;
	let server: RunningServer;
	afterAll(async () => {
		await server?.kill();
		await temp?.remove();
	});

	it('after passwords, cookies and bodies went through a --log-level debug server, the log holds none of them', async () => {
		temp = await makeTempDir();
		const data = `${temp.dir}/data`;
		server = await startServer(data, [
			'--log-level',
			'debug',
			'--max-body',
			'1024',
			'--rate-limit',
			'1000',
		]);
		const cookies: string[] = [];

		const a = await RawClient.connect(server.port);
		const b = await RawClient.connect(server.port);
		expect(
			(await a.request('REG', 'sec-a', { Password: SECRETS.regPassword, Name: 'A' })).status,
		).toBe(201);
		expect((await b.request('REG', 'sec-b', { Password: SECRETS.regPassword })).status).toBe(201);
		expect((await a.request('REG', 'short', { Password: 'x' })).status).toBe(400);
		for (let i = 0; i < 3; i++)
			expect((await a.login('sec-a', SECRETS.wrongPassword)).status).toBe(401);
		expect((await a.login('nobody', SECRETS.wrongPassword)).status).toBe(401);
		expect((await a.login('sec-a', SECRETS.regPassword)).status).toBe(200);
		expect((await b.login('sec-b', SECRETS.regPassword)).status).toBe(200);
		cookies.push(a.cookie!, b.cookie!);

		expect((await a.request('SEND', 'sec-b', {}, SECRETS.dmBody)).status).toBe(202);
		await b.waitForPush((push) => push.kind === 'MSG' && push.text === SECRETS.dmBody);
		expect((await a.request('MK_GROUP', 'sec-g')).status).toBe(201);
		expect((await a.request('ADD_USER', 'sec-g', { Invite: 'sec-b' })).status).toBe(200);
		expect((await a.request('SEND', 'sec-g', {}, SECRETS.groupBody)).status).toBe(202);
		expect((await a.request('FROB', 'x', {}, SECRETS.unknownVerbBody)).status).toBe(405);

		// PASSWD: a wrong current one, then a real change; b's old-cookie replay after LOGOUT.
		const wrong = await a.request('PASSWD', undefined, {
			Password: SECRETS.wrongPassword,
			'New-Password': SECRETS.newPassword,
		});
		expect(wrong.status).toBe(401);
		const changed = await a.request('PASSWD', undefined, {
			Password: SECRETS.regPassword,
			'New-Password': SECRETS.newPassword,
		});
		expect(changed.status).toBe(200);
		const bCookie = b.cookie!;
		expect((await b.request('LOGOUT')).status).toBe(200);
		const replay = await RawClient.connect(server.port);
		replay.cookie = bCookie;
		expect((await replay.request('PING')).status).toBe(401);
		replay.cookie = 'forged-cookie-value-d00d';
		cookies.push('forged-cookie-value-d00d');
		expect((await replay.request('HISTORY', 'sec-a')).status).toBe(401);

		// An oversized frame carrying a cookie and a body: 413, connection closed.
		const big = await RawClient.connect(server.port);
		big.cookie = a.cookie;
		const tooBig = await big.request('SEND', 'sec-b', {}, SECRETS.oversizedBody + 'x'.repeat(2000));
		expect(tooBig.status).toBe(413);

		// An admin-created account and an admin password reset, through the control socket.
		const created = await admin(['create-user', 'sec-c', '--data', data], {
			KORICHAT_PASSWORD: SECRETS.adminPassword,
		});
		expect(created.code, created.stderr).toBe(0);
		const c = await RawClient.connect(server.port);
		expect((await c.login('sec-c', SECRETS.adminPassword)).status).toBe(200);
		cookies.push(c.cookie!);
		expect(
			(
				await admin(['reset-password', 'sec-c', '--data', data], {
					KORICHAT_PASSWORD: SECRETS.newPassword,
				})
			).code,
		).toBe(0);

		for (const client of [a, b, c, replay]) await client.close();
		expect(await server.stop()).toBe(0);

		const log = server.log();
		expect(log).toMatch(/"level":20/); // debug lines were written, so the search covers them
		expect(log).toContain('sec-c'); // and the admin actions, naming the user
		for (const [what, secret] of Object.entries(SECRETS)) expect(log, what).not.toContain(secret);
		for (const cookie of cookies) {
			expect(log).not.toContain(cookie);
			expect(log).not.toContain(cookie.slice(0, 8));
		}
		expect(log).not.toMatch(/SESSIONID=/);
	}, 60_000);
});
