import { encodeRequest } from '../../source/protocol/encoder.js';
import { ChatLink, messageId, openLinks } from '../lib/chat-link.js';
import { rssKiB } from '../lib/server-process.js';
import { nowMs, percentile, sleep } from '../lib/stats.js';
import type { Sessions } from './korichat.js';

/** Tells the orchestrator where a measured window starts or ends (it reads server stats there). */
export type Mark = (name: string) => void;

export type ConnectionsParams = {
	port: number;
	serverPid: number;
	sessions: Sessions;
	connections: number;
	passwordLogins: number;
};

export type ConnectionsResult = {
	rssBeforeKiB: number;
	rssAfterKiB: number;
	perConnectionKiB: number;
	bindsPerSecond: number;
	passwordLoginsPerSecond: number;
};

/**
 * Opens `connections` sockets and binds each to an existing session with `PING` + `Cookie`
 * (sessions are shared: users × sessions are spread over the sockets), then reads the server's RSS.
 */
export async function idleConnections(params: ConnectionsParams): Promise<ConnectionsResult> {
	const { port, serverPid, sessions, connections, passwordLogins } = params;
	const rssBeforeKiB = rssKiB(serverPid);
	const cookies = sessions.cookies.flat();
	const links: ChatLink[] = [];
	const started = nowMs();
	let next = 0;
	const worker = async () => {
		while (next < connections) {
			const index = next++;
			const link = await ChatLink.open(port);
			links.push(link);
			await link.bind(cookies[index % cookies.length]!);
		}
	};
	await Promise.all(Array.from({ length: 128 }, worker));
	const bindsPerSecond = connections / ((nowMs() - started) / 1000);
	// Presence notices and garbage from the login burst settle first.
	await sleep(3000);
	const rssAfterKiB = rssKiB(serverPid);
	const passwordLoginsPerSecond = await passwordLoginRate(port, sessions.users, passwordLogins);
	for (const link of links) link.close();
	return {
		rssBeforeKiB,
		rssAfterKiB,
		perConnectionKiB: (rssAfterKiB - rssBeforeKiB) / connections,
		bindsPerSecond,
		passwordLoginsPerSecond,
	};
}

/** Real `USE` logins (scrypt N=32768 on the server), four at a time. */
async function passwordLoginRate(port: number, users: string[], count: number): Promise<number> {
	const links = await openLinks(port, Math.min(4, count));
	let next = 0;
	const started = nowMs();
	await Promise.all(
		links.map(async (link) => {
			while (next < count) {
				const user = users[next++ % users.length]!;
				const reply = await link.request('USE', user, [['Password', 'bench-password-1']]);
				if (reply.status !== 200) throw new Error(`USE ${user} answered ${reply.status}`);
			}
		}),
	);
	const rate = count / ((nowMs() - started) / 1000);
	for (const link of links) link.close();
	return rate;
}

export type DurabilityParams = {
	/** One node's port, or several: sender i on node i mod nodes, sending to user i + 1. */
	port: number | number[];
	sessions: Sessions;
	senders: number;
	warmupMs: number;
	durationMs: number;
};

/** `senders` users each keep one SEND in flight (to the next user); counts 202s in the window. */
export async function concurrentSenders(
	params: DurabilityParams,
	mark: Mark,
): Promise<{ messages: number; windowMs: number }> {
	const { port, sessions, senders, warmupMs, durationMs } = params;
	const links = await openLinks(port, senders);
	await Promise.all(links.map((link, index) => link.bind(sessions.cookies[index]![0]!)));
	const result = await keepSending(links, sessions.users, 1, warmupMs, durationMs, mark);
	for (const link of links) link.close();
	return result;
}

/**
 * Each link sends to the next link's user with `window` SENDs in flight and acknowledges what it
 * receives; counts the 202s between the two marks.
 */
async function keepSending(
	links: ChatLink[],
	users: string[],
	window: number,
	warmupMs: number,
	durationMs: number,
	mark: Mark,
): Promise<{ messages: number; windowMs: number }> {
	let counting = false;
	let stopping = false;
	let messages = 0;
	const loops = links.map((link, index) => {
		let unacked = 0;
		link.onPush = (frame) => {
			if (!frame.startLine.startsWith('MSG')) return;
			if (++unacked >= 200) {
				unacked = 0;
				link.send('ACK', String(messageId(frame)), [], undefined, () => undefined);
			}
		};
		const frame = encodeRequest(
			'SEND',
			users[(index + 1) % links.length]!,
			[],
			`load from ${index}`,
		);
		return new Promise<void>((resolve) => {
			let inFlight = 0;
			const fill = () => {
				while (!stopping && inFlight < window) {
					inFlight++;
					link.sendRaw(frame, (reply) => {
						inFlight--;
						if (reply.status === 202 && counting) messages++;
						if (stopping && inFlight === 0) resolve();
						else fill();
					});
				}
				if (stopping && inFlight === 0) resolve();
			};
			fill();
		});
	});
	await sleep(warmupMs);
	mark('start');
	counting = true;
	const started = nowMs();
	await sleep(durationMs);
	counting = false;
	const windowMs = nowMs() - started;
	mark('end');
	stopping = true;
	await Promise.all(loops);
	return { messages, windowMs };
}

export type HistoryParams = {
	port: number;
	cookie: string;
	partners: string[];
	maxId: number;
	requests: number;
};

/** Sequential `HISTORY <partner>` with a random `Before`, 50 messages each; round trips in ms. */
export async function historyLatency(params: HistoryParams): Promise<number[]> {
	const { port, cookie, partners, maxId, requests } = params;
	const link = await ChatLink.open(port);
	await link.bind(cookie);
	const latencies: number[] = [];
	for (let index = 0; index < requests; index++) {
		const partner = partners[index % partners.length]!;
		const before = String(1 + Math.floor(Math.random() * maxId));
		const started = nowMs();
		const reply = await link.request('HISTORY', partner, [
			['Before', before],
			['Limit', '50'],
		]);
		latencies.push(nowMs() - started);
		if (reply.status !== 200) throw new Error(`HISTORY answered ${reply.status}`);
	}
	link.close();
	return latencies;
}

// The stall workload drives the same load as the durability one.
export type StallParams = DurabilityParams & { port: number };

export type StallResult = {
	messages: number;
	windowMs: number;
	pingP50Ms: number;
	pingP99Ms: number;
	pingMaxMs: number;
};

/**
 * Write load (each sender pipelining 16 SENDs) that makes the journal grow through snapshots,
 * while a pinger keeps one PING in flight: the longest PING round trip is the stall seen outside.
 */
export async function stallUnderSnapshots(params: StallParams, mark: Mark): Promise<StallResult> {
	const { port, sessions, senders, warmupMs, durationMs } = params;
	const links = await openLinks(port, senders);
	await Promise.all(links.map((link, index) => link.bind(sessions.cookies[index]![0]!)));
	const pinger = await ChatLink.open(port);
	const rtts: number[] = [];
	let pinging = true;
	const pings = (async () => {
		while (pinging) {
			const started = nowMs();
			await pinger.request('PING');
			rtts.push(nowMs() - started);
			await sleep(2);
		}
	})();
	const result = await keepSending(links, sessions.users, 16, warmupMs, durationMs, mark);
	pinging = false;
	await pings;
	pinger.close();
	for (const link of links) link.close();
	return {
		...result,
		pingP50Ms: percentile(rtts, 50),
		pingP99Ms: percentile(rtts, 99),
		pingMaxMs: Math.max(...rtts),
	};
}
