import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import type { ChatMessage } from '../../source/client/types.js';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { clusterServices } from './support/services.js';
import { RawClient } from '../helpers/raw-client.js';
import { redisUrl } from '../helpers/redis.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { freePort, haproxyBinary, startHaproxy } from './support/haproxy.js';

const pg = await clusterServices();
if (!haproxyBinary) {
	const line = 'haproxy is not installed (apt-get install haproxy): skipping the fail-over suite';
	if (process.env.CI === 'true') throw new Error(`${line}; CI needs it`);
	console.warn(line);
}

const password = 'correct horse';

/** A node as a real child process on a fixed port, so that a restart comes back on it. */
function startNode(port: number, storeUrl: string): CliProcess {
	return runCli([
		'--serve',
		'--headless',
		'--port',
		String(port),
		'--store',
		storeUrl,
		'--bus',
		redisUrl,
		'--rate-limit',
		'0',
		// Behind HAProxy every client comes from the proxy's address.
		'--max-connections-per-ip',
		'0',
	]);
}

async function connectWhenUp(port: number, cookie?: string): Promise<RawClient> {
	for (;;) {
		try {
			const client = await RawClient.connect(port);
			client.cookie = cookie;
			const answer = await client.request('PING');
			if (answer.status === 200) return client;
			await client.close();
		} catch {
			// The node behind the proxy is gone; HAProxy sends us elsewhere on the next try.
		}
		await sleep(100);
	}
}

/**
 * Sends `count` messages, each with its own Send-Id, through `port`; when the connection drops
 * it reconnects, re-binds by cookie and sends the unanswered message again (same Send-Id).
 */
async function sendThrough(port: number, cookie: string, target: string, count: number) {
	const accepted = new Map<number, string>();
	let client = await connectWhenUp(port, cookie);
	for (let i = 0; i < count; i++) {
		const body = `${target} ${i}`;
		for (;;) {
			try {
				const answer = await client.request('SEND', target, { 'Send-Id': `t${target}n${i}` }, body);
				if (answer.status === 202) {
					accepted.set(Number(answer.headers.get('message-id')), body);
					break;
				}
				expect([503]).toContain(answer.status);
			} catch {
				await client.close();
				client = await connectWhenUp(port, cookie);
			}
			await sleep(50);
		}
		await sleep(15);
	}
	await client.close();
	return accepted;
}

describe.skipIf(!pg.available || !haproxyBinary)(
	'nodes behind HAProxy, SIGKILLed under load',
	() => {
		let database: TestDatabase;
		let temp: TempDir;
		const nodes: (CliProcess | undefined)[] = [];
		let nodePorts: number[];
		let proxy: Awaited<ReturnType<typeof startHaproxy>>;
		beforeAll(async () => {
			database = await pg.createDatabase();
			temp = await makeTempDir();
			nodePorts = [await freePort(), await freePort(), await freePort()];
			for (const port of nodePorts) {
				const node = startNode(port, database.url);
				await node.listening;
				nodes.push(node);
			}
			proxy = await startHaproxy(temp.dir, await freePort(), nodePorts);
			await connectWhenUp(proxy.port).then((client) => client.close());
		});
		afterAll(async () => {
			await proxy?.stop();
			for (const node of nodes) node?.child.kill('SIGKILL');
			await Promise.all(nodes.map((node) => node?.exited));
			await database?.drop();
			await temp?.remove();
		});

		it('loses no acknowledged message, delivers each exactly once, and takes presence down', async () => {
			const users = ['josie', 'john', 'jane'];
			const setup = await connectWhenUp(proxy.port);
			for (const user of [...users, 'adrian', 'victim', 'watcher']) {
				expect((await setup.request('REG', user, { Password: password })).status).toBe(201);
			}
			await setup.close();
			const adrian = await connectWhenUp(proxy.port);
			expect((await adrian.login('adrian')).status).toBe(200);

			const receivers = new Map<string, ChatMessage[]>();
			const clients: ChatClient[] = [];
			for (const user of users) {
				const client = new ChatClient({
					server: `127.0.0.1:${proxy.port}`,
					backoff: { initialDelayMs: 50, maxDelayMs: 500 },
				});
				clients.push(client);
				await client.connect();
				await client.login(user, password);
				const received: ChatMessage[] = [];
				client.on('message', (message) => received.push(message));
				receivers.set(user, received);
			}
			// A user connected only to node 1 and someone on node 3 watching their presence.
			const victim = await RawClient.connect(nodePorts[0]!);
			expect((await victim.login('victim')).status).toBe(200);
			const watcher = await RawClient.connect(nodePorts[2]!);
			expect((await watcher.login('watcher')).status).toBe(200);

			const sending = Promise.all(
				users.map((user) => sendThrough(proxy.port, adrian.cookie!, user, 120)),
			);
			const victimOffline = watcher
				.waitForPush(
					(push) => push.kind === 'NOTIFY' && push.json?.user === 'victim' && !push.json.online,
					45_000,
				)
				.then(
					() => Date.now(),
					(error: Error) => {
						throw new Error(
							`${error.message}; the watcher got ${JSON.stringify(watcher.pushes.map((p) => p.text))}`,
						);
					},
				);
			const killedAt: number[] = [];
			for (const index of [0, 1, 0]) {
				await sleep(1200);
				nodes[index]!.child.kill('SIGKILL');
				await nodes[index]!.exited;
				killedAt.push(Date.now());
				const again = startNode(nodePorts[index]!, database.url);
				nodes[index] = again;
				await again.listening;
			}
			const accepted = await sending;
			// A node that dies takes its users' presence with it within 30 s.
			expect((await victimOffline) - killedAt[0]!).toBeLessThan(30_000);

			// Every 202 is in HISTORY, read through a node that was never killed.
			const reader = await connectWhenUp(nodePorts[2]!);
			for (const [i, user] of users.entries()) {
				await reader.login(user);
				const history = await reader.request('HISTORY', 'adrian', { Limit: '500' });
				const stored = new Map<number, string>(
					history.json.messages.map((m: { id: number; body: string }) => [m.id, m.body]),
				);
				expect(stored).toEqual(accepted[i]);
			}
			// Each receiver gets every message once (the client drops repeats by id).
			const deadline = Date.now() + 20_000;
			const complete = () =>
				users.every((user, i) => receivers.get(user)!.length >= accepted[i]!.size);
			while (!complete() && Date.now() < deadline) await sleep(100);
			for (const [i, user] of users.entries()) {
				const got = receivers.get(user)!;
				expect(new Map(got.map((m) => [m.id, m.body]))).toEqual(accepted[i]);
				expect(got.length).toBe(accepted[i]!.size);
			}
			await Promise.all(clients.map((client) => client.close()));
			await Promise.all([victim.close(), watcher.close(), reader.close(), adrian.close()]);
		}, 90_000);
	},
);
