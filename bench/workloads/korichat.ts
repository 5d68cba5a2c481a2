import { encodeRequest } from '../../source/protocol/encoder.js';
import type { ChatLink } from '../lib/chat-link.js';
import { messageId, openLinks, openLinksTo } from '../lib/chat-link.js';
import { nowMs, sleep } from '../lib/stats.js';

/** Cookies per user, as the fixture made them. */
export type Sessions = { readonly users: string[]; readonly cookies: string[][] };

async function bindAll(links: ChatLink[], cookies: string[], concurrency = 64): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < links.length) {
			const index = next++;
			await links[index]!.bind(cookies[index]!);
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, links.length) }, worker));
}

/** Acknowledges every `every` messages, cumulatively, without waiting for the answer. */
function acker(link: ChatLink, every: number) {
	let unacked = 0;
	let last = 0;
	const ignore = () => undefined;
	return {
		received(id: number) {
			last = Math.max(last, id);
			if (++unacked >= every) {
				unacked = 0;
				link.send('ACK', String(last), [], undefined, ignore);
			}
		},
		flush() {
			if (last > 0) link.send('ACK', String(last), [], undefined, ignore);
			unacked = 0;
		},
	};
}

/** Pipelines `count` requests with at most `window` unanswered; resolves with every status seen. */
function pipeline(
	link: ChatLink,
	frame: Buffer,
	count: number,
	window: number,
	onStatus: (status: number) => void,
): Promise<void> {
	return new Promise((resolve) => {
		let sent = 0;
		let answered = 0;
		const pump = () => {
			link.socket.cork();
			while (sent < count && sent - answered < window) {
				sent++;
				link.sendRaw(frame, (reply) => {
					answered++;
					onStatus(reply.status);
					if (answered === count) resolve();
					else if (sent - answered <= window / 2) pump();
				});
			}
			link.socket.uncork();
		};
		pump();
	});
}

export type DmParams = {
	/** One port per node; with several, each pair's sender and receiver sit on different nodes. */
	ports: number[];
	sessions: Sessions;
	pairs: number;
	messages: number;
	runs: number;
};

/** Sender i writes to receiver i, pipelined; a run ends when every SEND is 202 and every MSG is in. */
export async function dmThroughput(params: DmParams): Promise<number[]> {
	const { ports, sessions, pairs, messages, runs } = params;
	const node = (index: number) => ports[index % ports.length]!;
	// Senders first, then receivers: pair p sends from node p and receives on node p + 1.
	const links = await openLinksTo([
		...Array.from({ length: pairs }, (_, pair) => node(pair)),
		...Array.from({ length: pairs }, (_, pair) => node(pair + 1)),
	]);
	await bindAll(
		links,
		links.map((_, index) => sessions.cookies[index]![0]!),
	);
	const rates: number[] = [];
	for (let run = 0; run < runs; run++) {
		let delivered = 0;
		let rejected = 0;
		let done: () => void = () => undefined;
		const allDelivered = new Promise<void>((resolve) => (done = resolve));
		for (let pair = 0; pair < pairs; pair++) {
			const receiver = links[pairs + pair]!;
			const ack = acker(receiver, 1000);
			receiver.onPush = (frame) => {
				if (!frame.startLine.startsWith('MSG')) return;
				ack.received(messageId(frame));
				if (++delivered === pairs * messages) done();
			};
		}
		const started = nowMs();
		const sends = links.slice(0, pairs).map((sender, pair) => {
			const frame = encodeRequest(
				'SEND',
				sessions.users[pairs + pair]!,
				[],
				`dm ${run} from pair ${pair}: hello`,
			);
			return pipeline(sender, frame, messages, 2048, (status) => {
				if (status !== 202) rejected++;
			});
		});
		await Promise.all([...sends, allDelivered]);
		const elapsed = nowMs() - started;
		if (rejected > 0) throw new Error(`${rejected} SENDs were not accepted`);
		rates.push((pairs * messages) / (elapsed / 1000));
		for (const receiver of links.slice(pairs)) receiver.onPush = () => undefined;
		await settle(links.slice(pairs));
	}
	for (const link of links) link.close();
	return rates;
}

/** Drains what is in flight: a PING round trip on each link. */
async function settle(links: ChatLink[]): Promise<void> {
	await Promise.all(links.map((link) => link.request('PING')));
}

export type FanoutParams = {
	/** One port per node; connection i (the sender is 0) goes to node i mod nodes. */
	ports: number[];
	sessions: Sessions;
	group: string;
	members: number;
	latencyMessages: number;
	sustainedMessages: number;
	runs: number;
};

export type FanoutResult = {
	latenciesMs: number[];
	deliveriesPerSecond: number[];
	connectMs: number;
};

/** User 0 sends to the group; every other member is online on one connection. */
export async function groupFanout(params: FanoutParams): Promise<FanoutResult> {
	const { ports, sessions, group, members, latencyMessages, sustainedMessages, runs } = params;
	const connectStarted = nowMs();
	const links = await openLinks(ports, members);
	await bindAll(
		links,
		links.map((_, index) => sessions.cookies[index]![0]!),
	);
	const connectMs = nowMs() - connectStarted;
	const [sender, ...receivers] = links as [ChatLink, ...ChatLink[]];
	const expected = receivers.length;
	// Messages go one at a time (or one batch at a time), so every MSG counts toward the goal.
	let goal = expected;
	let arrived = 0;
	let onAll: () => void = () => undefined;
	for (const receiver of receivers) {
		const ack = acker(receiver, 100);
		receiver.onPush = (frame) => {
			if (!frame.startLine.startsWith('MSG')) return;
			ack.received(messageId(frame));
			if (++arrived === goal) onAll();
		};
	}
	await sleep(200);
	const latenciesMs: number[] = [];
	for (let index = 0; index < latencyMessages; index++) {
		arrived = 0;
		goal = expected;
		const everyone = new Promise<void>((resolve) => (onAll = resolve));
		const started = nowMs();
		const reply = await sender.request('SEND', group, [], `fan-out ${index}`);
		if (reply.status !== 202) throw new Error(`SEND to ${group} answered ${reply.status}`);
		await everyone;
		latenciesMs.push(nowMs() - started);
		await sleep(5);
	}
	const deliveriesPerSecond: number[] = [];
	const frame = encodeRequest('SEND', group, [], 'sustained fan-out message');
	for (let run = 0; run < runs; run++) {
		arrived = 0;
		goal = expected * sustainedMessages;
		const everything = new Promise<void>((resolve) => (onAll = resolve));
		const started = nowMs();
		await Promise.all([
			pipeline(sender, frame, sustainedMessages, 32, () => undefined),
			everything,
		]);
		deliveriesPerSecond.push((expected * sustainedMessages) / ((nowMs() - started) / 1000));
		await settle(links);
	}
	for (const link of links) link.close();
	return { latenciesMs, deliveriesPerSecond, connectMs };
}
