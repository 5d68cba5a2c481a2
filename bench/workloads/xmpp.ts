import { rssKiB } from '../lib/server-process.js';
import { nowMs, sleep } from '../lib/stats.js';
import {
	openXmppLinks,
	registerXmppUsers,
	type XmppLink,
	type XmppTarget,
} from '../lib/xmpp-link.js';

const password = 'bench-password-1';

/** Rooms live on the MUC component `rooms.<domain>` (both peers' bench configs). */
const roomJid = (target: XmppTarget) => `fanout@rooms.${target.domain}`;

async function openUsers(target: XmppTarget, users: readonly string[]): Promise<XmppLink[]> {
	await registerXmppUsers(target, users, password);
	return openXmppLinks(
		target,
		users.map((user) => ({ user, resource: 'bench' })),
		password,
	);
}

function refuseErrors(links: readonly XmppLink[]): void {
	const errors = links.reduce((sum, link) => sum + link.errors, 0);
	if (errors > 0) throw new Error(`the server bounced ${errors} messages with type="error"`);
}

/**
 * Writes `count` stanzas keeping at most `window` undelivered (the receivers report through
 * `received()`), as the IRC workload does, so neither side's buffers grow without bound.
 */
function flow(link: XmppLink, stanza: (index: number) => string, count: number, window: number) {
	let sent = 0;
	let received = 0;
	let finished: () => void = () => undefined;
	const done = new Promise<void>((resolve) => (finished = resolve));
	const pump = () => {
		let batch = '';
		while (sent < count && sent - received < window) batch += stanza(sent++);
		if (batch) link.write(batch);
	};
	return {
		done,
		start: pump,
		received() {
			if (++received >= count) finished();
			else if (sent - received <= window / 2) pump();
		},
	};
}

export type XmppDmParams = XmppTarget & { pairs: number; messages: number; runs: number };

/** The KoriChat DM workload over `<message type='chat'>`: sender i to receiver i; delivered counts. */
export async function xmppDmThroughput(params: XmppDmParams): Promise<number[]> {
	const { pairs, messages, runs } = params;
	const names = (prefix: string) => Array.from({ length: pairs }, (_, pair) => `${prefix}${pair}`);
	const senders = await openUsers(params, names('s'));
	const receivers = await openUsers(params, names('r'));
	const everyone = [...senders, ...receivers];
	await Promise.all(everyone.map((link) => link.sync()));
	const rates: number[] = [];
	for (let run = 0; run < runs; run++) {
		const flows = senders.map((sender, pair) => {
			const to = `r${pair}@${params.domain}`;
			const stanza = (index: number) =>
				`<message type='chat' to='${to}' id='d${run}-${index}'><body>dm ${run} from pair ${pair}: hello</body></message>`;
			return flow(sender, stanza, messages, 2048);
		});
		receivers.forEach((receiver, pair) => (receiver.onMessage = () => flows[pair]!.received()));
		const started = nowMs();
		for (const stream of flows) stream.start();
		await Promise.all(flows.map((stream) => stream.done));
		rates.push((pairs * messages) / ((nowMs() - started) / 1000));
		await Promise.all(everyone.map((link) => link.sync()));
	}
	refuseErrors(everyone);
	for (const link of everyone) link.close();
	return rates;
}

export type XmppFanoutParams = XmppTarget & {
	members: number;
	latencyMessages: number;
	sustainedMessages: number;
	runs: number;
};

export type XmppFanoutResult = {
	latenciesMs: number[];
	deliveriesPerSecond: number[];
	connectMs: number;
};

/** One sender and `members - 1` listeners in one MUC room; the KoriChat fan-out workload. */
export async function xmppFanout(params: XmppFanoutParams): Promise<XmppFanoutResult> {
	const { members, latencyMessages, sustainedMessages, runs } = params;
	const room = roomJid(params);
	const connectStarted = nowMs();
	const links = await openUsers(
		params,
		Array.from({ length: members }, (_, index) => `m${index}`),
	);
	const [sender, ...receivers] = links as [XmppLink, ...XmppLink[]];
	await sender.joinRoom(room, 'm0'); // the owner: it creates the room
	let next = 0;
	const joiner = async () => {
		while (next < receivers.length) {
			const index = next++;
			await receivers[index]!.joinRoom(room, `m${index + 1}`);
		}
	};
	await Promise.all(Array.from({ length: 16 }, joiner));
	await Promise.all(links.map((link) => link.sync()));
	const connectMs = nowMs() - connectStarted;
	let goal = receivers.length;
	let arrived = 0;
	let onAll: () => void = () => undefined;
	let onEach: () => void = () => undefined;
	for (const receiver of receivers) {
		receiver.onMessage = () => {
			if (++arrived === goal) onAll();
			else onEach();
		};
	}
	const groupchat = (text: string) =>
		`<message type='groupchat' to='${room}'><body>${text}</body></message>`;
	const latenciesMs: number[] = [];
	for (let index = 0; index < latencyMessages; index++) {
		arrived = 0;
		goal = receivers.length;
		const everyoneHasIt = new Promise<void>((resolve) => (onAll = resolve));
		const started = nowMs();
		sender.write(groupchat(`fan-out ${index}`));
		await everyoneHasIt;
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
		const pump = () => {
			let batch = '';
			while (
				sent < sustainedMessages &&
				sent * receivers.length - arrived < 32 * receivers.length
			) {
				batch += groupchat('sustained fan-out message');
				sent++;
			}
			if (batch) sender.write(batch);
		};
		onEach = () => {
			if (arrived % receivers.length === 0) pump();
		};
		const started = nowMs();
		pump();
		await everything;
		deliveriesPerSecond.push(goal / ((nowMs() - started) / 1000));
		onEach = () => undefined;
		await Promise.all(links.map((link) => link.sync()));
	}
	refuseErrors(links);
	for (const link of links) link.close();
	return { latenciesMs, deliveriesPerSecond, connectMs };
}

export type XmppIdleParams = XmppTarget & { serverPid: number; connections: number; users: number };

/**
 * Logged-in idle clients (`users` accounts, many resources each): the server's RSS per connection.
 * Each is bound with a session but sends no presence, or the 100 resources of one account would
 * announce themselves to each other (10^4 presences per account) while the RSS is read.
 */
export async function xmppIdleConnections(
	params: XmppIdleParams,
): Promise<{ perConnectionKiB: number; loginsPerSecond: number }> {
	const { serverPid, connections, users } = params;
	const names = Array.from({ length: users }, (_, index) => `i${index}`);
	await registerXmppUsers(params, names, password);
	const accounts = Array.from({ length: connections }, (_, index) => ({
		user: names[index % users]!,
		resource: `c${index}`,
	}));
	await sleep(1000);
	const before = rssKiB(serverPid);
	const started = nowMs();
	const links = await openXmppLinks(params, accounts, password, {
		concurrency: 32,
		presence: false,
	});
	await Promise.all(links.map((link) => link.sync()));
	const loginsPerSecond = connections / ((nowMs() - started) / 1000);
	await sleep(3000);
	const after = rssKiB(serverPid);
	for (const link of links) link.close();
	return { perConnectionKiB: (after - before) / connections, loginsPerSecond };
}
