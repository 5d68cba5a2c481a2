import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatFixture, password, type ChatFixture } from '../helpers/chat-fixture.js';
import { RawClient } from '../helpers/raw-client.js';
import { copyDataFolder, makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';

/** Text that has broken chat servers: SQL, NUL, bidi, emoji, terminal escapes, fake frames. */
const hostileBodies = [
	"Robert'); DROP TABLE messages;--",
	'" OR 1=1 -- ; SELECT * FROM sessions',
	'NUL in the middle\0and \0\0\0 more',
	'\u202Egnp.exe (right-to-left override) \u2066isolate\u2069',
	'مرحبا بالعالم · שלום עולם · नमस्ते',
	'👩‍👩‍👧‍👦 🏳️‍🌈 🇳🇱 e\u0301 Z̸̡̛̗a̷̟̓l̴̨̈g̸̱̈o',
	'\u001b[2J\u001b[H\u001b]0;pwned\u0007\u001b[31mred\u001b[0m \u009b31m',
	'CHAT/1.0 200 OK\r\nContent-Length: 0\r\n\r\nMSG alice CHAT/1.0\r\n\r\n',
	'\uFEFFBOM, NEL\u0085, LS\u2028, PS\u2029, tab\t, CR\r, LF\n, backslash \\ "quote"',
	'{"error":"fake"},%s%n%x ${process.env} `rm -rf /` <script>alert(1)</script>',
	'x'.repeat(64 * 1024 - 4) + '🦊',
];

const hostileDisplayNames = [
	'O\'Brien"; DROP TABLE users;--',
	'\u202Enimda',
	'Zoë 👩‍💻 Ærøskøbing',
	'مرحبا',
	'\uFEFFstarts with a byte order mark',
];

let chat: ChatFixture;
let alice: RawClient;
let bob: RawClient;
const copies: TempDir[] = [];

beforeAll(async () => {
	chat = await chatFixture();
	alice = await chat.user('alice');
	bob = await chat.user('bob');
	expect((await alice.request('MK_GROUP', 'team')).status).toBe(201);
	expect((await alice.request('ADD_USER', 'team', { Invite: 'bob' })).status).toBe(200);
});
afterAll(async () => {
	await chat.close();
	for (const copy of copies) await copy.remove();
});

async function history(client: RawClient, target: string): Promise<string[]> {
	const response = await client.request('HISTORY', target, { Limit: '500' });
	expect(response.status).toBe(200);
	return response.json.messages.map((m: any) => m.body);
}

describe('hostile text is stored and returned byte for byte', () => {
	it('in message bodies, through MSG pushes, HISTORY and a restart', async () => {
		for (const body of hostileBodies) {
			for (const target of ['bob', 'team']) {
				const sent = await alice.request('SEND', target, {}, body);
				expect(sent.status).toBe(202);
				const push = await bob.waitForPush(
					(p) => p.kind === 'MSG' && p.headers.get('message-id') === sent.headers.get('message-id'),
				);
				expect(push.body.equals(Buffer.from(body, 'utf8')), JSON.stringify(body)).toBe(true);
			}
		}
		expect(await history(bob, 'alice')).toEqual(hostileBodies);
		expect(await history(bob, 'team')).toEqual(hostileBodies);

		// As a crash leaves it (journal replay), and after a clean stop (snapshot).
		const crashImage = await makeTempDir();
		copies.push(crashImage);
		await copyDataFolder(chat.server.dataDir, crashImage.dir);
		for (const dataDir of [crashImage.dir, chat.server.dataDir]) {
			if (dataDir === chat.server.dataDir) await chat.server.close();
			const server = await startTestServer({}, dataDir);
			const reader = await RawClient.connect(server.port);
			await reader.login('bob', password);
			expect(await history(reader, 'alice')).toEqual(hostileBodies);
			expect(await history(reader, 'team')).toEqual(hostileBodies);
			await reader.close();
			await server.close();
		}
	});
});

describe('hostile names', () => {
	let fixture: ChatFixture;
	beforeAll(async () => {
		fixture = await chatFixture();
	});
	afterAll(async () => {
		await fixture.close();
	});

	it('keeps display names with quotes, bidi and emoji exactly', async () => {
		const client = await fixture.connect();
		for (const [index, name] of hostileDisplayNames.entries()) {
			const response = await client.request('REG', `user${index}`, {
				Password: password,
				Name: name,
			});
			expect(response.status).toBe(201);
			expect(response.json.displayName).toBe(name);
		}
		const viewer = await fixture.user('viewer');
		const listed = await viewer.request('LIST_USER');
		const names = listed.json.details.filter((d: any) => d.name.startsWith('user'));
		expect(names.map((d: any) => d.displayName)).toEqual(hostileDisplayNames);
	});

	it('refuses control characters in display names, and SQL or spaces in names, storing nothing', async () => {
		const client = await fixture.connect();
		for (const name of ['a\u001b[2Jb', 'bell\u0007', 'c1\u009b', 'del\u007f']) {
			expect((await client.request('REG', 'ctrl', { Password: password, Name: name })).status).toBe(
				400,
			);
		}
		// The encoder will not write a NUL in a header, so write that request by hand.
		client.write(`REG ctrl\r\nPassword: ${password}\r\nName: nul\0name\r\n\r\n`);
		expect((await client.nextResponse()).status).toBe(400);
		for (const target of ["bob');DROP", 'a"b', 'x;y', '%27', 'ü', '../etc', 'a\u202Eb']) {
			expect((await client.request('REG', target, { Password: password })).status).toBe(400);
		}
		const viewer = await fixture.user('viewer2');
		for (const target of ["team');--", 'a*', 'x%']) {
			expect((await viewer.request('MK_GROUP', target)).status).toBe(400);
			expect((await viewer.request('SEND', target, {}, 'x')).status).toBe(400);
			expect((await viewer.request('HISTORY', target)).status).toBe(400);
		}
		const users = (await viewer.request('LIST_USER')).json.users;
		expect(users).not.toContain('ctrl');
		expect(users.every((name: string) => /^[a-z0-9_.-]{1,32}$/.test(name))).toBe(true);
	});

	it('takes a password with SQL and emoji exactly, and no near miss', async () => {
		const client = await fixture.connect();
		const tricky = "p'); DROP TABLE users;-- 🦊\u202E ";
		expect((await client.request('REG', 'tricky', { Password: tricky })).status).toBe(201);
		expect((await client.login('tricky', tricky)).status).toBe(200);
		expect((await client.login('tricky', tricky.slice(0, -3))).status).toBe(401);
		expect((await client.login('tricky', "' OR '1'='1")).status).toBe(401);
	});

	it('refuses a body that is not UTF-8 and stores nothing', async () => {
		const sender = await fixture.user('sender');
		const bad = Buffer.from([0x68, 0x69, 0xff, 0xfe, 0xc0, 0x80]);
		expect((await sender.request('SEND', 'viewer', {}, bad)).status).toBe(400);
		expect(await history(sender, 'viewer')).toEqual([]);
	});
});
