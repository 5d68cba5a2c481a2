import type { IrcLink } from '../lib/irc-link.js';
import { openIrcLinks } from '../lib/irc-link.js';
import { ngircdOperator } from '../lib/ngircd-process.js';
import { rssKiB } from '../lib/server-process.js';
import { nowMs, sleep } from '../lib/stats.js';

/**
 * Writes `count` copies of `line` keeping at most `window` of them not yet received (the receiver
 * reports through `received()`), so neither side's buffers grow without bound.
 */
function flow(link: IrcLink, line: string, count: number, window: number) {
	let sent = 0;
	let received = 0;
	let finished: () => void = () => undefined;
	const done = new Promise<void>((resolve) => (finished = resolve));
	const batch = line.repeat(64);
	const pump = () => {
		while (sent < count && sent - received < window) {
			const take = Math.min(64, count - sent);
			link.write(take === 64 ? batch : line.repeat(take));
			sent += take;
		}
	};
	return {
		done,
		start: pump,
		received(howMany = 1) {
			received += howMany;
			if (received >= count) finished();
			else if (sent - received <= window / 2) pump();
		},
	};
}

export type IrcDmParams = { port: number; pairs: number; messages: number; runs: number };

/** The KoriChat DM workload over PRIVMSG nick: sender i to receiver i; delivered counts. */
export async function ircDmThroughput(params: IrcDmParams): Promise<number[]> {
	const { port, pairs, messages, runs } = params;
	const senders = await openIrcLinks(port, 's', pairs);
	const receivers = await openIrcLinks(port, 'r', pairs);
	for (const link of [...senders, ...receivers]) {
		await link.relaxFloodProtection(ngircdOperator.name, ngircdOperator.password);
	}
	const rates: number[] = [];
	for (let run = 0; run < runs; run++) {
		const flows = senders.map((sender, pair) =>
			flow(sender, `PRIVMSG r${pair} :dm ${run} from pair ${pair}: hello\r\n`, messages, 2048),
		);
		receivers.forEach((receiver, pair) => (receiver.onPrivmsg = () => flows[pair]!.received()));
		const started = nowMs();
		for (const stream of flows) stream.start();
		await Promise.all(flows.map((stream) => stream.done));
		rates.push((pairs * messages) / ((nowMs() - started) / 1000));
		await Promise.all([...senders, ...receivers].map((link) => link.sync()));
	}
	for (const link of [...senders, ...receivers]) link.close();
	return rates;
}

export type IrcFanoutParams = {
	port: number;
	members: number;
	latencyMessages: number;
	sustainedMessages: number;
	runs: number;
};

export type IrcFanoutResult = {
	latenciesMs: number[];
	deliveriesPerSecond: number[];
	connectMs: number;
};

/** One sender and `members - 1` listeners in one channel; the KoriChat fan-out workload. */
export async function ircFanout(params: IrcFanoutParams): Promise<IrcFanoutResult> {
	const { port, members, latencyMessages, sustainedMessages, runs } = params;
	const channel = '#fanout';
	const connectStarted = nowMs();
	const links = await openIrcLinks(port, 'm', members);
	const [sender, ...receivers] = links as [IrcLink, ...IrcLink[]];
	await sender.relaxFloodProtection(ngircdOperator.name, ngircdOperator.password);
	for (const link of links) await link.join(channel);
	// Every JOIN is announced to every member: let that storm drain before measuring.
	await Promise.all(links.map((link) => link.sync()));
	const connectMs = nowMs() - connectStarted;
	let goal = receivers.length;
	let arrived = 0;
	let onAll: () => void = () => undefined;
	for (const receiver of receivers) {
		receiver.onPrivmsg = () => {
			if (++arrived === goal) onAll();
		};
	}
	const latenciesMs: number[] = [];
	for (let index = 0; index < latencyMessages; index++) {
		arrived = 0;
		goal = receivers.length;
		const everyone = new Promise<void>((resolve) => (onAll = resolve));
		const started = nowMs();
		sender.write(`PRIVMSG ${channel} :fan-out ${index}\r\n`);
		await everyone;
		latenciesMs.push(nowMs() - started);
		await sleep(5);
	}
	const deliveriesPerSecond: number[] = [];
	for (let run = 0; run < runs; run++) {
		arrived = 0;
		goal = receivers.length * sustainedMessages;
		const everything = new Promise<void>((resolve) => (onAll = resolve));
		// At most 32 messages undelivered in total, as KoriChat's sender keeps 32 SENDs in flight.
		let sent = 0;
		const started = nowMs();
		const pump = () => {
			while (
				sent < sustainedMessages &&
				sent * receivers.length - arrived < 32 * receivers.length
			) {
				sender.write(`PRIVMSG ${channel} :sustained fan-out message\r\n`);
				sent++;
			}
		};
		for (const receiver of receivers) {
			receiver.onPrivmsg = () => {
				if (++arrived === goal) onAll();
				else if (arrived % receivers.length === 0) pump();
			};
		}
		pump();
		await everything;
		deliveriesPerSecond.push(goal / ((nowMs() - started) / 1000));
		await Promise.all(links.map((link) => link.sync()));
	}
	for (const link of links) link.close();
	return { latenciesMs, deliveriesPerSecond, connectMs };
}

export type IrcIdleParams = { port: number; serverPid: number; connections: number };

/** Registered, idle clients: the server's RSS per connection. */
export async function ircIdleConnections(
	params: IrcIdleParams,
): Promise<{ perConnectionKiB: number; registrationsPerSecond: number }> {
	const { port, serverPid, connections } = params;
	const before = rssKiB(serverPid);
	const started = nowMs();
	const links = await openIrcLinks(port, 'i', connections);
	const registrationsPerSecond = connections / ((nowMs() - started) / 1000);
	await sleep(3000);
	const after = rssKiB(serverPid);
	for (const link of links) link.close();
	return { perConnectionKiB: (after - before) / connections, registrationsPerSecond };
}
