import { ChatLink, openLinks } from '../lib/chat-link.js';
import { nowMs, sleep } from '../lib/stats.js';
import type { Sessions } from './korichat.js';

export type FailoverParams = {
	/** One port per node, in node order. */
	ports: number[];
	/** The node to kill: its index in `ports`, and its process id. */
	victim: number;
	victimPid: number;
	/** Users 0 … clients − 1 are the clients (client i on node i mod nodes); user `clients` sends. */
	sessions: Sessions;
	clients: number;
	/** A group of every client and the sender: one SEND after the kill reaches them all. */
	group: string;
	round: number;
	/** A client not served again by then is counted as unserved. */
	timeoutMs: number;
};

export type FailoverRound = {
	/** Per client of the killed node: SIGKILL → its socket seen closed (the kernel's part). */
	closedMs: number[];
	/** Per client of the killed node: SIGKILL → its session re-bound on another node (PING 200). */
	rebindMs: number[];
	/** Per client of the killed node: SIGKILL → a message sent after the kill has reached it. */
	servedMs: number[];
	/** Clients of the killed node that were not served within the timeout. */
	unserved: number;
	/** Connection attempts and PINGs that failed on the way (refused, 503, closed). */
	failedAttempts: number;
};

/**
 * Clients sit on every node; the victim node gets SIGKILL; each of its clients reconnects at
 * once to the next live node in the list (as `--server a,b,c` does, minus the client's backoff),
 * re-binds its session by cookie with PING, and waits for the message a client on another node
 * sent after the kill: one group message to everyone (one commit), so the figure is not how long
 * one connection takes to send a message to each victim in turn (a connection runs its requests
 * one after another, one commit each).
 */
export async function failover(params: FailoverParams): Promise<FailoverRound> {
	const { ports, victim, victimPid, sessions, clients, group, round, timeoutMs } = params;
	if (ports.length < 2) throw new Error('fail-over needs two nodes or more');
	const links = await openLinks(ports, clients);
	const senderLink = await ChatLink.open(ports[(victim + 1) % ports.length]!);
	await Promise.all(links.map((link, index) => link.bind(sessions.cookies[index]![0]!)));
	await senderLink.bind(sessions.cookies[clients]![0]!);
	// Subscriptions and presence settle before the kill.
	await sleep(500);
	const victims = links.flatMap((_, index) => (index % ports.length === victim ? [index] : []));
	const survivors = ports.filter((_, index) => index !== victim);
	const body = `fail-over round ${round}`;
	const rebindMs: number[] = [];
	const servedMs: number[] = [];
	const closedMs: number[] = [];
	let failedAttempts = 0;
	let killedAt = 0;
	const fresh: ChatLink[] = [];

	const recover = async (index: number): Promise<void> => {
		const cookie = sessions.cookies[index]![0]!;
		for (let attempt = 0; ; attempt++) {
			const port = survivors[(index + attempt) % survivors.length]!;
			let link: ChatLink;
			try {
				link = await ChatLink.open(port);
			} catch {
				failedAttempts++;
				await sleep(5);
				continue;
			}
			fresh.push(link);
			const got = new Promise<void>((resolve) => {
				link.onPush = (frame) => {
					if (frame.startLine.startsWith('MSG') && frame.body.toString() === body) resolve();
				};
			});
			const reply = await link.request('PING', undefined, [['Cookie', `SESSIONID=${cookie}`]]);
			if (reply.status !== 200) {
				failedAttempts++;
				link.close();
				await sleep(5);
				continue;
			}
			rebindMs.push(nowMs() - killedAt);
			await got;
			servedMs.push(nowMs() - killedAt);
			return;
		}
	};

	const recovered = victims.map(
		(index) =>
			new Promise<void>((resolve) => {
				links[index]!.onClose = () => {
					closedMs.push(nowMs() - killedAt);
					void recover(index).then(resolve);
				};
			}),
	);
	killedAt = nowMs();
	process.kill(victimPid, 'SIGKILL');
	const reply = await senderLink.request('SEND', group, [], body);
	if (reply.status !== 202) throw new Error(`SEND after the kill answered ${reply.status}`);
	await Promise.race([Promise.all(recovered), sleep(timeoutMs)]);
	for (const link of [...links, ...fresh, senderLink]) {
		link.onClose = () => undefined;
		link.close();
	}
	return {
		closedMs,
		rebindMs,
		servedMs,
		unserved: victims.length - servedMs.length,
		failedAttempts,
	};
}
