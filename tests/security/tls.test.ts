import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { connect as connectTcp } from 'node:net';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { runCli } from '../helpers/cli-process.js';
import { hasOpenssl, makeCertificate } from '../helpers/certificate.js';
import { RawClient } from '../helpers/raw-client.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { plainLines } from '../helpers/log-capture.js';
import { startServerProcess, type ServerProcess } from './support/server-process.js';

const password = 'correct horse battery';
let temp: TempDir;
let cert: string;
let key: string;
let server: ServerProcess;

async function tlsClient(port: number): Promise<RawClient> {
	const socket = connectTls({
		port,
		host: '127.0.0.1',
		servername: 'localhost',
		ca: readFileSync(cert),
	});
	await new Promise<void>((resolve, reject) => {
		socket.once('secureConnect', resolve);
		socket.once('error', reject);
	});
	return RawClient.over(socket);
}

describe.runIf(hasOpenssl())('korichat --serve --tls-cert --tls-key', () => {
	beforeAll(async () => {
		temp = await makeTempDir();
		({ cert, key } = makeCertificate(temp.dir));
		server = await startServerProcess(join(temp.dir, 'data'), [
			'--tls-cert',
			cert,
			'--tls-key',
			key,
			'--frame-timeout',
			'1',
		]);
	});
	afterAll(async () => {
		await server.kill9();
		await temp.remove();
	});

	it('says it listens on tls:// and speaks CHAT/1.0 over TLS, pushes included', async () => {
		expect(server.stdout()).toBe(`korichat listening on tls://127.0.0.1:${server.port}\n`);
		const alice = await tlsClient(server.port);
		const bob = await tlsClient(server.port);
		for (const [client, name] of [
			[alice, 'alice'],
			[bob, 'bob'],
		] as const) {
			expect((await client.request('REG', name, { Password: password })).status).toBe(201);
			expect((await client.login(name, password)).status).toBe(200);
		}
		expect((await alice.request('SEND', 'bob', {}, 'over TLS 🔒')).status).toBe(202);
		expect((await bob.waitForPush((push) => push.kind === 'MSG')).text).toBe('over TLS 🔒');
		await Promise.all([alice.close(), bob.close()]);
	});

	it('serves the ChatClient library on tls:// with a CA file', async () => {
		const sender = new ChatClient({ server: `tls://localhost:${server.port}`, caFile: cert });
		const receiver = new ChatClient({ server: `tls://localhost:${server.port}`, caFile: cert });
		try {
			await sender.connect();
			await receiver.connect();
			await sender.register('carol', password);
			await sender.login('carol', password);
			await receiver.register('dave', password);
			await receiver.login('dave', password);
			const received = new Promise<string>((resolve) =>
				receiver.on('message', (message) => resolve(message.body)),
			);
			await sender.send('dave', 'library over TLS');
			expect(await received).toBe('library over TLS');
		} finally {
			await Promise.all([sender.close(), receiver.close()]);
		}
	});

	it('serves the scripting commands: korichat register/login/send/history --server tls:// --ca', async () => {
		const config = join(temp.dir, 'config');
		const env = { KORICHAT_PASSWORD: password, KORICHAT_CONFIG_DIR: config };
		const flags = ['--server', `tls://localhost:${server.port}`, '--ca', cert];
		const run = async (...args: string[]) => {
			const cli = runCli([...args, ...flags], env);
			const code = await cli.exited;
			return { code, out: cli.stdout(), err: cli.stderr() };
		};
		expect(await run('register', 'erin')).toMatchObject({ code: 0 });
		expect(await run('login', 'erin')).toMatchObject({ code: 0 });
		expect(await run('send', 'erin', 'note to self over TLS')).toMatchObject({ code: 0 });
		const history = await run('history', 'erin');
		expect(history.code).toBe(0);
		expect(history.out).toContain('note to self over TLS');
		// Without the CA the self-signed certificate is not trusted.
		const untrusted = runCli(
			['history', 'erin', '--server', `tls://localhost:${server.port}`],
			env,
		);
		expect(await untrusted.exited).not.toBe(0);
		expect(untrusted.stderr()).toMatch(/certificate/);
	});

	it('closes a plain-text client and a handshake left hanging, and stays up', async () => {
		const plain = connectTcp(server.port, '127.0.0.1');
		plain.on('error', () => undefined);
		let plainReply = '';
		plain.on('data', (chunk) => (plainReply += chunk.toString('latin1')));
		plain.write('PING CHAT/1.0\r\n\r\n');
		const silent = connectTcp(server.port, '127.0.0.1');
		silent.on('error', () => undefined);
		const started = performance.now();
		await Promise.all(
			[plain, silent].map((socket) => new Promise((resolve) => socket.on('close', resolve))),
		);
		// The handshake timeout is the frame timeout (1 s here).
		expect(performance.now() - started).toBeLessThan(8000);
		expect(plainReply).not.toContain('CHAT/1.0');
		const client = await tlsClient(server.port);
		expect((await client.request('PING')).status).toBe(200);
		await client.close();
	});
});

describe.runIf(hasOpenssl())('bad TLS settings', () => {
	let dir: TempDir;
	beforeAll(async () => {
		dir = await makeTempDir();
	});
	afterAll(async () => {
		await dir.remove();
	});

	it.each([
		[
			'a missing key file',
			(c: string) => ['--tls-cert', c, '--tls-key', '/nonexistent/key.pem'],
			/cannot read the TLS key \/nonexistent\/key\.pem \(ENOENT\)/,
		],
		[
			'a certificate without its key',
			(c: string) => ['--tls-cert', c],
			/--tls-cert and --tls-key go together/,
		],
		[
			'a key that is not PEM',
			(c: string) => ['--tls-cert', c, '--tls-key', c],
			/cannot use the TLS certificate and key/,
		],
	])('refuses %s in one line', async (_name, flags, message) => {
		const { cert: certificate } = makeCertificate(dir.dir);
		await writeFile(join(dir.dir, 'unused'), '');
		const cli = runCli([
			'--serve',
			'--headless',
			'--port',
			'0',
			'--data',
			join(dir.dir, 'data'),
			...flags(certificate),
		]);
		expect(await cli.exited).not.toBe(0);
		// A refusal after the store opened follows the JSON start and start-failed log lines.
		const lines = plainLines(cli.stderr());
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(/^korichat: /);
		expect(lines[0]).toMatch(message);
	});
});
