import { readFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { ChatNetworkError } from '../../source/client/errors.js';
import { hasOpenssl, makeCertificate } from '../helpers/certificate.js';
import { runCli } from '../helpers/cli-process.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { startTestServer } from '../helpers/test-server.js';
import { clientFixture, password, type ClientFixture } from './support/client-fixture.js';
import { nextEvent } from './support/wait.js';

let temp: TempDir;
let chat: ClientFixture;
let terminator: Server;
let tlsPort: number;
let caFile: string;
let keyFile: string;

// Mostly through a node:tls terminator in front of a plain server; once against the server's own TLS.
describe.runIf(hasOpenssl())('tls:// addresses', () => {
	beforeAll(async () => {
		temp = await makeTempDir();
		({ cert: caFile, key: keyFile } = makeCertificate(temp.dir));
		chat = await clientFixture();
		terminator = createServer({ key: readFileSync(keyFile), cert: readFileSync(caFile) }, (tls) => {
			const plain = connect(chat.server.port, '127.0.0.1');
			tls.pipe(plain).pipe(tls);
			tls.on('error', () => plain.destroy());
			plain.on('error', () => tls.destroy());
			tls.on('close', () => plain.destroy());
			plain.on('close', () => tls.destroy());
		});
		await new Promise<void>((resolve) => terminator.listen(0, '127.0.0.1', resolve));
		tlsPort = (terminator.address() as AddressInfo).port;
	});
	afterAll(async () => {
		await new Promise((resolve) => terminator.close(resolve));
		await chat.close();
		await temp.remove();
	});

	it('speaks CHAT/1.0 over TLS, trusting the given CA file, and gets pushes', async () => {
		const josie = await chat.user('josie');
		const client = new ChatClient({ server: `tls://localhost:${tlsPort}`, caFile });
		try {
			await client.connect();
			await client.register('adrian', password);
			await client.login('adrian', password);
			const received = nextEvent(client, 'message');
			await josie.send('adrian', 'over TLS');
			expect((await received)[0].body).toBe('over TLS');
			expect(client.address).toMatchObject({ tls: true, key: `localhost:${tlsPort}` });
		} finally {
			await client.close();
		}
	});

	it('works with the server’s own TLS (korichat --serve --tls-cert, --tls-key)', async () => {
		const key = readFileSync(keyFile);
		const tlsServer = await startTestServer({ tls: { cert: readFileSync(caFile), key } });
		const client = new ChatClient({ server: `tls://localhost:${tlsServer.port}`, caFile });
		try {
			await client.connect();
			await client.register('josie', password);
			await client.login('josie', password);
			expect(await client.listUsers()).toEqual([
				{ name: 'josie', displayName: 'josie', online: true },
			]);
		} finally {
			await client.close();
			await tlsServer.stop();
		}
	});

	it('serves the scripting commands too, with --ca (a missing file is a usage error)', async () => {
		const env = { KORICHAT_CONFIG_DIR: temp.dir, KORICHAT_PASSWORD: password };
		const server = `tls://localhost:${tlsPort}`;
		const ok = runCli(['register', 'zed', '--server', server, '--ca', caFile], env);
		const okClosed = new Promise((resolve) => ok.child.once('close', resolve));
		expect(await ok.exited).toBe(0);
		await okClosed;
		expect(ok.stdout()).toBe('registered zed; now run: korichat login zed\n');
		const untrusted = runCli(['register', 'zoe', '--server', server], env);
		expect(await untrusted.exited).toBe(4);
		const missing = runCli(['register', 'zoe', '--server', server, '--ca', 'nowhere.pem'], env);
		const closed = new Promise((resolve) => missing.child.once('close', resolve));
		expect(await missing.exited).toBe(2);
		await closed;
		expect(missing.stderr()).toMatch(/^korichat: cannot read the CA file nowhere.pem: ENOENT/);
	});

	it('refuses a certificate it cannot verify, as unreachable', async () => {
		const client = new ChatClient({ server: `tls://localhost:${tlsPort}` });
		const error = await client.connect().catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(ChatNetworkError);
		expect(error).toMatchObject({ kind: 'unreachable' });
		expect((error as Error).message).toMatch(/certificate/);
		await client.close();
	});

	it('takes the CA as PEM text too, and checks the host name', async () => {
		const ca = readFileSync(caFile, 'utf8');
		const good = new ChatClient({ server: `tls://localhost:${tlsPort}`, ca });
		await good.connect();
		expect(await good.ping()).toBeGreaterThan(0);
		await good.close();
		// The certificate names localhost only, so the same server by IP is not trusted.
		const wrongName = new ChatClient({ server: `tls://127.0.0.1:${tlsPort}`, ca });
		const error = await wrongName.connect().catch((reason: unknown) => reason);
		expect(error).toMatchObject({ kind: 'unreachable' });
		expect((error as Error).message).toMatch(/does not match certificate/);
		await wrongName.close();
	});
});
