import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import { ChatNetworkError, ChatRequestError } from '../../source/client/errors.js';
import { clientFixture, password, type ClientFixture } from './support/client-fixture.js';

let chat: ClientFixture | undefined;
afterEach(async () => {
	await chat?.close();
	chat = undefined;
});

async function refusal(promise: Promise<unknown>): Promise<ChatRequestError> {
	const error = await promise.then(
		() => undefined,
		(reason: unknown) => reason,
	);
	expect(error).toBeInstanceOf(ChatRequestError);
	return error as ChatRequestError;
}

describe('ChatRequestError', () => {
	it('carries 400 for a bad request, with the server words', async () => {
		chat = await clientFixture();
		const client = await chat.client();
		const error = await refusal(client.register('adrian', 'short'));
		expect(error.status).toBe(400);
		expect(error.message).toMatch(/password/i);
		expect(error.request).toBe('REG adrian');
		const adrian = await chat.user('adrian');
		expect((await refusal(adrian.send('adrian', ''))).status).toBe(400);
	});

	it('carries 401 for a wrong password and for a request without a session', async () => {
		chat = await clientFixture();
		const client = await chat.client();
		await client.register('adrian', password);
		const wrong = await refusal(client.login('adrian', 'not the password'));
		expect(wrong.status).toBe(401);
		expect(wrong.message).toBe('wrong user name or password');
		expect((await refusal(client.listGroups())).status).toBe(401);
	});

	it('carries 403 for a non-member, 404 for an unknown name, 409 for a taken one', async () => {
		chat = await clientFixture();
		const adrian = await chat.user('adrian');
		const josie = await chat.user('josie');
		await adrian.createGroup('chat');
		const forbidden = await refusal(josie.send('chat', 'let me in'));
		expect(forbidden.status).toBe(403);
		expect(forbidden.message).toBe('you are not a member of chat');
		const missing = await refusal(adrian.send('ghost', 'hello?'));
		expect(missing.status).toBe(404);
		expect(missing.message).toBe('no user or group named "ghost"');
		expect((await refusal(adrian.createGroup('josie'))).status).toBe(409);
		expect((await refusal(josie.register('adrian', password))).status).toBe(409);
	});

	it('carries 413 for a body over the limit; the client reconnects after the server hangs up', async () => {
		chat = await clientFixture({ maxBodyBytes: 100 });
		await chat.user('josie');
		const adrian = await chat.user('adrian');
		const error = await refusal(adrian.send('josie', 'x'.repeat(500)));
		expect(error.status).toBe(413);
		// 413 closes the connection (PROTOCOL.md §2); the session carries over to the next one.
		expect(await adrian.send('josie', 'short')).toBeGreaterThan(0);
	});

	it('gets no error past the request rate: the request waits for the server', async () => {
		chat = await clientFixture({ rateLimit: 1, rateBurst: 2 });
		const client = await chat.client();
		const started = performance.now();
		const results = await Promise.allSettled([client.ping(), client.ping(), client.ping()]);
		expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
		// The third waited for a token (1 s at 1/s).
		expect(performance.now() - started).toBeGreaterThanOrEqual(500);
	});

	it('carries 429 with retryAfter after too many failed logins', async () => {
		chat = await clientFixture({ failedLoginLimit: 2 });
		const client = await chat.client();
		await client.register('adrian', password);
		for (let i = 0; i < 2; i++) {
			expect((await refusal(client.login('adrian', 'wrong password'))).status).toBe(401);
		}
		const throttled = await refusal(client.login('adrian', password));
		expect(throttled.status).toBe(429);
		expect(throttled.message).toMatch(/too many failed logins/);
		expect(throttled.retryAfter).toBeGreaterThan(50);
		expect(throttled.retryAfter).toBeLessThanOrEqual(60);
	});
});

describe('ChatNetworkError', () => {
	let silent: Server | undefined;
	afterEach(async () => {
		await new Promise((resolve) => (silent ? silent.close(resolve) : resolve(undefined)));
		silent = undefined;
	});

	it('is `unreachable` when nothing listens, and connect() does not retry', async () => {
		const probe = createServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const port = (probe.address() as AddressInfo).port;
		await new Promise((resolve) => probe.close(resolve));
		const client = new ChatClient({ server: `127.0.0.1:${port}` });
		const error = await client.connect().catch((reason: unknown) => reason);
		expect(error).toBeInstanceOf(ChatNetworkError);
		expect(error).toMatchObject({ kind: 'unreachable' });
		expect((error as Error).message).toBe(
			`cannot reach 127.0.0.1:${port}: connection refused (is the server running?)`,
		);
		expect(client.state).toBe('idle');
		await client.close();
	});

	it('is `timeout` when the server accepts but never answers, and the link is dropped', async () => {
		// Reads (so it notices the client leave) but never answers.
		silent = createServer((socket) => socket.resume());
		await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
		const port = (silent.address() as AddressInfo).port;
		const client = new ChatClient({
			server: `127.0.0.1:${port}`,
			requestTimeoutMs: 200,
			reconnect: false,
		});
		await client.connect();
		const offline = new Promise((resolve) => client.once('offline', (...args) => resolve(args)));
		const started = Date.now();
		const [first, second] = await Promise.allSettled([client.ping(), client.listUsers()]);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(first).toMatchObject({ status: 'rejected', reason: { kind: 'timeout' } });
		expect(second).toMatchObject({ status: 'rejected', reason: { kind: 'timeout' } });
		expect(await offline).toEqual([expect.any(ChatNetworkError), undefined]);
		expect(client.state).toBe('offline');
		await expect(client.ping()).rejects.toMatchObject({ kind: 'offline' });
		await client.close();
	});
});
