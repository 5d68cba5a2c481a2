import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../../source/client/chat-client.js';
import type { ChatMessage } from '../../source/client/types.js';
import { runCli, type CliProcess } from '../helpers/cli-process.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { clusterServices } from './support/services.js';
import { RawClient, type RawPush, type RawResponse } from '../helpers/raw-client.js';
import { redisUrl } from '../helpers/redis.js';
import { makeTempDir, type TempDir } from '../helpers/temp-dir.js';
import { freePort, haproxyBinary, startHaproxy } from './support/haproxy.js';
import { PhaseClock, within } from './support/phase-clock.js';

const pg = await clusterServices();
if (!haproxyBinary) {
	const line = 'haproxy is not installed (apt-get install haproxy): skipping the fail-over suite';
	if (process.env.CI === 'true') throw new Error(`${line}; CI needs it`);
	console.warn(line);
}

const password = 'correct horse';

// Bounds on each wait, generous for two busy cores: a wait that runs out fails with what it
// waited for instead of hanging until the test's own timeout.
/** One request: a node that has not answered by then is treated as gone (reconnect, resend). */
const requestTimeoutMs = 10_000;
/** Reaching a node that answers PING, through the proxy or directly. */
const connectWithinMs = 30_000;
/** One message: from its first SEND to its 202, across every reconnect. */
const sendWithinMs = 45_000;
/** A node's start, from spawning it to `listening`. */
const startWithinMs = 30_000;
/** The claim under test: a dead node takes its users' presence with it within this. */
const presenceDownWithinMs = 30_000;
/** How long to wait for that push, past the claim, so a failure says by how much it missed. */
const presenceWaitMs = 60_000;
/** Every accepted message at its receiver, after the sending ends. */
const deliveredWithinMs = 30_000;

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

async function untilListening(node: CliProcess, port: number): Promise<void> {
	await within(
		node.listening,
		startWithinMs,
		() => `node on :${port} did not start: ${node.stderr()}`,
	);
}

/** A connection through `port` that has answered PING with 200; tries again until `connectWithinMs`. */
async function connectWhenUp(port: number, cookie?: string): Promise<RawClient> {
	const deadline = Date.now() + connectWithinMs;
	let tries = 0;
	let lastFailure = 'none';
	while (Date.now() < deadline) {
		tries++;
		try {
			const client = await RawClient.connect(port);
			client.cookie = cookie;
			const answer = await client.request('PING', undefined, {}, undefined, {
				timeoutMs: requestTimeoutMs,
			});
			if (answer.status === 200) return client;
			lastFailure = `PING answered ${answer.status}`;
			await client.close();
		} catch (error) {
			// The node behind the proxy is gone; HAProxy sends us elsewhere on the next try.
			lastFailure = (error as Error).message;
		}
		await sleep(100);
	}
	throw new Error(
		`no node answered PING on :${port} in ${connectWithinMs} ms, ${tries} tries (last: ${lastFailure})`,
	);
}

/**
 * Sends `count` messages, each with its own Send-Id, through `port`; when the connection drops
 * or a request goes unanswered, it reconnects, re-binds by cookie and sends the unanswered
 * message again (same Send-Id). Any answer but 202 or 503 fails the test.
 */
async function sendThrough(port: number, cookie: string, target: string, count: number) {
	const accepted = new Map<number, string>();
	let reconnects = 0;
	let refusals = 0;
	let client = await connectWhenUp(port, cookie);
	for (let i = 0; i < count; i++) {
		const body = `${target} ${i}`;
		const deadline = Date.now() + sendWithinMs;
		let lastFailure = 'none';
		for (;;) {
			if (Date.now() > deadline) {
				await client.close();
				throw new Error(
					`SEND ${body} not accepted within ${sendWithinMs} ms (last: ${lastFailure})`,
				);
			}
			let answer: RawResponse;
			try {
				answer = await client.request('SEND', target, { 'Send-Id': `t${target}n${i}` }, body, {
					timeoutMs: requestTimeoutMs,
				});
			} catch (error) {
				lastFailure = (error as Error).message;
				reconnects++;
				await client.close();
				client = await connectWhenUp(port, cookie);
				continue;
			}
			if (answer.status === 202) {
				accepted.set(Number(answer.headers.get('message-id')), body);
				break;
			}
			expect(answer.status, `SEND ${body}: ${answer.text}`).toBe(503);
			lastFailure = `503 ${answer.text}`;
			refusals++;
			await sleep(50);
		}
		await sleep(15);
	}
	await client.close();
	return { target, accepted, reconnects, refusals };
}

describe.skipIf(!pg.available || !haproxyBinary)(
	'nodes behind HAProxy, SIGKILLed under load',
	() => {
		let database: TestDatabase;
		let temp: TempDir;
		const nodes: (CliProcess | undefined)[] = [];
		let nodePorts: number[];
		let proxy: Awaited<ReturnType<typeof startHaproxy>>;
		/** Closed after the test, whether it passed or not. */
		const connections: { close(): Promise<void> }[] = [];
		/** Every node process started, killed ones too: their logs explain a failure. */
		const started: { name: string; node: CliProcess }[] = [];
		const launch = (index: number) => {
			const node = startNode(nodePorts[index]!, database.url);
			started.push({ name: `node ${index + 1} #${started.length + 1}`, node });
			nodes[index] = node;
			return node;
		};
		beforeAll(async () => {
			database = await pg.createDatabase();
			temp = await makeTempDir();
			nodePorts = [await freePort(), await freePort(), await freePort()];
			await Promise.all(nodePorts.map((port, i) => untilListening(launch(i), port)));
			proxy = await startHaproxy(temp.dir, await freePort(), nodePorts);
			await connectWhenUp(proxy.port).then((client) => client.close());
		}, 90_000);
		afterAll(async () => {
			await Promise.all(connections.map((connection) => connection.close()));
			await proxy?.stop();
			for (const node of nodes) node?.child.kill('SIGKILL');
			await Promise.all(nodes.map((node) => node?.exited));
			await database?.drop();
			await temp?.remove();
		});

		// Every wait inside is bounded (the constants above), so a slow phase fails with its own
		// message and the phase timings; this is only the backstop, above their sum on a busy machine.
		it('loses no acknowledged message, delivers each exactly once, and takes presence down', async () => {
			const clock = new PhaseClock('fail-over');
			try {
				await failOver(clock);
			} catch (error) {
				for (const { name, node } of started) {
					console.log(
						`${name} (killed: ${node.child.signalCode ?? 'no'}):\n${node.stderr().slice(-3000)}`,
					);
				}
				console.log(`haproxy:\n${proxy.output().slice(-3000)}`);
				throw error;
			} finally {
				clock.print();
			}
		}, 180_000);

		async function failOver(clock: PhaseClock) {
			const users = ['josie', 'john', 'jane'];
			const setup = await connectWhenUp(proxy.port);
			for (const user of [...users, 'adrian', 'victim', 'watcher']) {
				expect((await setup.request('REG', user, { Password: password })).status).toBe(201);
			}
			await setup.close();
			const adrian = await connectWhenUp(proxy.port);
			connections.push(adrian);
			expect((await adrian.login('adrian')).status).toBe(200);

			const receivers = new Map<string, ChatMessage[]>();
			for (const user of users) {
				const client = new ChatClient({
					server: `127.0.0.1:${proxy.port}`,
					backoff: { initialDelayMs: 50, maxDelayMs: 500 },
				});
				connections.push(client);
				await client.connect();
				await client.login(user, password);
				const received: ChatMessage[] = [];
				client.on('message', (message) => received.push(message));
				receivers.set(user, received);
			}
			// A user connected only to node 1 and someone on node 3 watching their presence.
			const victim = await RawClient.connect(nodePorts[0]!);
			connections.push(victim);
			expect((await victim.login('victim')).status).toBe(200);
			const watcher = await RawClient.connect(nodePorts[2]!);
			connections.push(watcher);
			expect((await watcher.login('watcher')).status).toBe(200);
			clock.lap('setup');

			const sending = Promise.all(
				users.map((user) => sendThrough(proxy.port, adrian.cookie!, user, 120)),
			);
			// A sender that gives up is reported where `sending` is awaited, not as unhandled.
			sending.catch(() => undefined);
			const killedAt: number[] = [];
			for (const [round, index] of [0, 1, 0].entries()) {
				await sleep(1200);
				nodes[index]!.child.kill('SIGKILL');
				await nodes[index]!.exited;
				killedAt.push(Date.now());
				await untilListening(launch(index), nodePorts[index]!);
				clock.lap(`kill ${round + 1} (node ${index + 1}) and restart`);
			}
			const sent = await sending;
			clock.lap('sending');
			clock.note(
				sent
					.map(
						(s) =>
							`${s.target} ${s.accepted.size} sent, ${s.reconnects} reconnects, ${s.refusals} 503s`,
					)
					.join(', '),
			);

			// A node that dies takes its users' presence with it within 30 s.
			const isVictimOffline = (push: RawPush) =>
				push.kind === 'NOTIFY' && push.json?.user === 'victim' && !push.json.online;
			const offline = await watcher
				.waitForPush(isVictimOffline, Math.max(1, killedAt[0]! + presenceWaitMs - Date.now()))
				.catch((error: Error) => {
					const seen = JSON.stringify(watcher.pushes.map((p) => p.text));
					throw new Error(
						`victim not offline ${presenceWaitMs} ms after the kill: ${error.message}; the watcher got ${seen}`,
					);
				});
			clock.note(`presence down ${offline.receivedAt - killedAt[0]!} ms after the kill`);
			expect(offline.receivedAt - killedAt[0]!).toBeLessThan(presenceDownWithinMs);
			clock.lap('presence');

			// Every 202 is in HISTORY, read through a node that was never killed.
			const reader = await connectWhenUp(nodePorts[2]!);
			connections.push(reader);
			for (const [i, user] of users.entries()) {
				expect((await reader.login(user)).status).toBe(200);
				const history = await reader.request('HISTORY', 'adrian', { Limit: '500' }, undefined, {
					timeoutMs: requestTimeoutMs,
				});
				const stored = new Map<number, string>(
					history.json.messages.map((m: { id: number; body: string }) => [m.id, m.body]),
				);
				expect(stored).toEqual(sent[i]!.accepted);
			}
			clock.lap('history');

			// Each receiver gets every message once (the client drops repeats by id).
			const deadline = Date.now() + deliveredWithinMs;
			const complete = () =>
				users.every((user, i) => receivers.get(user)!.length >= sent[i]!.accepted.size);
			while (!complete() && Date.now() < deadline) await sleep(100);
			clock.lap('delivery');
			clock.note(
				users
					.map((user, i) => `${user} got ${receivers.get(user)!.length}/${sent[i]!.accepted.size}`)
					.join(', '),
			);
			for (const [i, user] of users.entries()) {
				const got = receivers.get(user)!;
				expect(new Map(got.map((m) => [m.id, m.body]))).toEqual(sent[i]!.accepted);
				expect(got.length).toBe(sent[i]!.accepted.size);
			}
		}
	},
);
