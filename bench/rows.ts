import type { Row, Target } from './lib/report.js';
import { percentile, summarise, type Figure } from './lib/stats.js';
import { clusterSetups, setupLabels, type ClusterResults } from './suites/cluster-suite.js';
import type { Sizes } from './suites/context.js';
import type { KoriChatResults } from './suites/korichat-suite.js';
import type { NgircdResults } from './suites/ngircd-suite.js';
import { drawingOutputs, type DrawingOutput } from './workloads/tui.js';
import type { XmppPeer, XmppResults } from './suites/xmpp-suite.js';

/** Many samples from one workload: the median and p99 of the samples themselves. */
function pooled(samples: readonly number[] | undefined): Figure | undefined {
	if (!samples || samples.length === 0) return undefined;
	return { median: percentile(samples, 50), tail: percentile(samples, 99), runs: 1, samples: [] };
}

const rate = (samples: readonly number[] | undefined) =>
	samples && samples.length > 0 ? summarise(samples, true) : undefined;
const time = (samples: readonly number[] | undefined) =>
	samples && samples.length > 0 ? summarise(samples, false) : undefined;

function target(text: string, met: boolean | undefined): Target {
	return { text, met };
}

const atMost = (figure: Figure | undefined, limit: number | undefined) =>
	figure === undefined || limit === undefined ? undefined : figure.tail <= limit;

/** The results table: one row per figure, KoriChat beside ngIRCd where both were measured. */
/** The XMPP peers' figure for one row, each where it was measured. */
function xmppFigures(
	x: Partial<Record<XmppPeer, XmppResults>>,
	figure: (results: XmppResults) => Figure | undefined,
): { prosody?: Figure; ejabberd?: Figure } {
	return {
		prosody: x.prosody ? figure(x.prosody) : undefined,
		ejabberd: x.ejabberd ? figure(x.ejabberd) : undefined,
	};
}

/** The results table: one row per figure, KoriChat beside each peer that was measured. */
export function buildRows(
	k: KoriChatResults,
	n: NgircdResults,
	sizes: Sizes,
	cluster?: ClusterResults,
	x: Partial<Record<XmppPeer, XmppResults>> = {},
): Row[] {
	const rows: Row[] = [];
	const dm = rate(k.dm);
	const dmPeer = rate(n.dm);
	rows.push({
		id: 'dm-throughput',
		label: `DM throughput, ${sizes.dmPairs} pairs, durable`,
		unit: 'msg/s',
		higherIsBetter: true,
		korichat: dm,
		ngircd: dmPeer,
		...xmppFigures(x, (peer) => rate(peer.dm)),
		target: target('≥ 0.25× ngIRCd', dm && dmPeer ? dm.median >= 0.25 * dmPeer.median : undefined),
	});
	for (const [members, result, peer, key] of [
		[100, k.fanout100, n.fanout100, 'fanout100'],
		[1000, k.fanout1000, n.fanout1000, 'fanout1000'],
	] as const) {
		const latency = pooled(result?.latenciesMs);
		const peerLatency = pooled(peer?.latenciesMs);
		rows.push({
			id: `fanout-${members}-latency`,
			label: `fan-out to ${members.toLocaleString('en-US')}: all members have it`,
			unit: 'ms',
			higherIsBetter: false,
			korichat: latency,
			ngircd: peerLatency,
			...xmppFigures(x, (results) => pooled(results[key]?.latenciesMs)),
			target:
				members === 100
					? target(
							'p99 ≤ ngIRCd p99',
							latency && peerLatency ? latency.tail <= peerLatency.tail : undefined,
						)
					: target('p99 < 50 ms', latency ? latency.tail < 50 : undefined),
		});
		rows.push({
			id: `fanout-${members}-sustained`,
			label: `fan-out to ${members.toLocaleString('en-US')}: sustained deliveries`,
			unit: 'msg/s',
			higherIsBetter: true,
			korichat: rate(result?.deliveriesPerSecond),
			ngircd: rate(peer?.deliveriesPerSecond),
			...xmppFigures(x, (results) => rate(results[key]?.deliveriesPerSecond)),
		});
	}
	const perConnection = time(k.connections?.map((run) => run.perConnectionKiB));
	rows.push({
		id: 'idle-rss',
		label: `RSS per idle logged-in connection (${sizes.connections.toLocaleString('en-US')})`,
		unit: 'KiB',
		higherIsBetter: false,
		korichat: perConnection,
		ngircd: time(n.idle?.map((run) => run.perConnectionKiB)),
		...xmppFigures(x, (results) => time(results.idle?.map((run) => run.perConnectionKiB))),
		target: target('≤ 8 KiB', atMost(perConnection, 8)),
	});
	rows.push({
		id: 'idle-rss-small-young-gen',
		label: '  same, server under node --max-semi-space-size=1',
		unit: 'KiB',
		higherIsBetter: false,
		korichat: time(k.connectionsSmallYoungGen?.map((run) => run.perConnectionKiB)),
	});
	rows.push({
		id: 'session-binds',
		label: 'session binds (PING + Cookie), new sockets',
		unit: '/s',
		higherIsBetter: true,
		korichat: rate(k.connections?.map((run) => run.bindsPerSecond)),
		ngircd: rate(n.idle?.map((run) => run.registrationsPerSecond)),
		...xmppFigures(x, (results) => rate(results.idle?.map((run) => run.loginsPerSecond))),
		note: 'ngIRCd: NICK/USER registrations; XMPP: stream, SASL PLAIN, restart, bind',
	});
	rows.push({
		id: 'password-logins',
		label: 'password logins (USE, scrypt N=32768)',
		unit: '/s',
		higherIsBetter: true,
		korichat: rate(k.connections?.map((run) => run.passwordLoginsPerSecond)),
	});
	const durable = k.durability;
	rows.push({
		id: 'durability-messages',
		label: '100 concurrent senders, 1 SEND in flight each',
		unit: 'msg/s',
		higherIsBetter: true,
		korichat: rate(durable?.map((run) => run.messagesPerSecond)),
	});
	rows.push({
		id: 'durability-fsyncs',
		label: '  journal fsyncs meanwhile',
		unit: 'fsync/s',
		higherIsBetter: false,
		korichat: time(durable?.map((run) => run.fsyncsPerSecond)),
	});
	const perFsync = rate(durable?.map((run) => run.messagesPerFsync));
	rows.push({
		id: 'durability-group-commit',
		label: '  messages per fsync (group commit)',
		unit: 'msg',
		higherIsBetter: true,
		korichat: perFsync,
		target: target('≫ 1', perFsync ? perFsync.median > 10 : undefined),
	});
	const history = k.history;
	const startup = time(history?.startupMs);
	const messages = history ? `${(history.messages / 1e6).toLocaleString('en-US')}M` : '';
	rows.push({
		id: 'history-startup',
		label: `start-up with ${messages} messages (snapshot + journal)`,
		unit: 'ms',
		higherIsBetter: false,
		korichat: startup,
		target: target('< 2,000 ms', startup ? startup.tail < 2000 : undefined),
	});
	const historyLatency = pooled(history?.latenciesMs);
	rows.push({
		id: 'history-latency',
		label: `HISTORY (50 messages) with ${messages} stored`,
		unit: 'ms',
		higherIsBetter: false,
		korichat: historyLatency,
		target: target('p99 < 5 ms', historyLatency ? historyLatency.tail < 5 : undefined),
	});
	const stall = time(history?.stalls.map((run) => run.loopDelayMaxMs));
	rows.push({
		id: 'snapshot-stall',
		label: 'longest event-loop stall, snapshots under load',
		unit: 'ms',
		higherIsBetter: false,
		korichat: stall,
		target: target('< 50 ms', stall ? stall.tail < 50 : undefined),
		note: `snapshots taken: ${history?.stalls.map((run) => run.snapshots).join(', ') ?? '–'}`,
	});
	const baseline = history?.baseline;
	rows.push({
		id: 'stall-baseline',
		label: '  same load, snapshots off (baseline)',
		unit: 'ms',
		higherIsBetter: false,
		korichat: baseline ? time([baseline.loopDelayMaxMs]) : undefined,
	});
	rows.push({
		id: 'snapshot-ping',
		label: '  longest PING round trip meanwhile',
		unit: 'ms',
		higherIsBetter: false,
		korichat: time(history?.stalls.map((run) => run.pingMaxMs)),
	});
	const typing = pooled(k.tui?.flatMap((run) => run.typingMs));
	const scrolling = pooled(k.tui?.flatMap((run) => run.scrollingMs));
	rows.push({
		id: 'tui-typing',
		label: `TUI keystroke → frame, typing (${sizes.tuiMessages.toLocaleString('en-US')} msgs open)`,
		unit: 'ms',
		higherIsBetter: false,
		korichat: typing,
		target: target('< 16 ms', typing ? typing.tail < 16 : undefined),
	});
	rows.push({
		id: 'tui-scrolling',
		label: '  paging through the history',
		unit: 'ms',
		higherIsBetter: false,
		korichat: scrolling,
		target: target('< 16 ms', scrolling ? scrolling.tail < 16 : undefined),
	});
	rows.push(...tuiBytesRows(k));
	if (cluster) rows.push(...clusterRows(cluster, sizes));
	return rows.filter((row) => row.korichat || row.ngircd || row.prosody || row.ejabberd);
}

/** Embedded vs one PostgreSQL node vs three nodes, then fail-over; the KoriChat column only. */
function clusterRows(cluster: ClusterResults, sizes: Sizes): Row[] {
	const rows: Row[] = [];
	const each = (
		id: string,
		label: string,
		unit: string,
		higherIsBetter: boolean,
		figure: (setup: (typeof clusterSetups)[number]) => Figure | undefined,
	) => {
		for (const setup of clusterSetups) {
			rows.push({
				id: `cluster-${id}-${setup}`,
				label: `${label}: ${setupLabels[setup]}`,
				unit,
				higherIsBetter,
				korichat: figure(setup),
			});
		}
	};
	const pairs = sizes.dmPairs;
	each('dm', `DM throughput, ${pairs} pairs`, 'msg/s', true, (setup) =>
		rate(cluster.setups[setup]?.dm),
	);
	each('senders', '100 senders, 1 SEND in flight each', 'msg/s', true, (setup) =>
		rate(cluster.setups[setup]?.senders),
	);
	for (const members of [100, 1000] as const) {
		const key = members === 100 ? 'fanout100' : 'fanout1000';
		const shown = members.toLocaleString('en-US');
		each(`fanout-${members}-latency`, `fan-out to ${shown}, all have it`, 'ms', false, (setup) =>
			pooled(cluster.setups[setup]?.[key]?.latenciesMs),
		);
		each(`fanout-${members}-sustained`, `fan-out to ${shown}, sustained`, 'msg/s', true, (setup) =>
			rate(cluster.setups[setup]?.[key]?.deliveriesPerSecond),
		);
	}
	const rounds = cluster.failover ?? [];
	const unserved = rounds.reduce((sum, round) => sum + round.unserved, 0);
	const note = `${rounds.length} rounds; clients not served: ${unserved}`;
	rows.push({
		id: 'cluster-failover-served',
		label: 'SIGKILL a node → its clients served on another (each)',
		unit: 'ms',
		higherIsBetter: false,
		korichat: pooled(rounds.flatMap((round) => round.servedMs)),
		note,
	});
	rows.push({
		id: 'cluster-failover-closed',
		label: '  SIGKILL → its socket seen closed',
		unit: 'ms',
		higherIsBetter: false,
		korichat: pooled(rounds.flatMap((round) => round.closedMs ?? [])),
	});
	rows.push({
		id: 'cluster-failover-rebind',
		label: '  SIGKILL → session re-bound (PING 200)',
		unit: 'ms',
		higherIsBetter: false,
		korichat: pooled(rounds.flatMap((round) => round.rebindMs)),
	});
	rows.push({
		id: 'cluster-failover-round',
		label: '  SIGKILL → the last of its clients served (per round)',
		unit: 'ms',
		higherIsBetter: false,
		korichat: time(
			rounds
				.filter((round) => round.servedMs.length > 0)
				.map((round) => Math.max(...round.servedMs)),
		),
	});
	return rows;
}

const drawingLabels: Record<DrawingOutput, string> = {
	'ink-standard': 'Ink standard',
	'ink-incremental': 'Ink incrementalRendering',
	writer: 'screen writer (the app)',
};

/** Bytes written to the terminal per event at 120×40, for each way of drawing; pooled samples. */
function tuiBytesRows(k: KoriChatResults): Row[] {
	const rows: Row[] = [];
	for (const output of drawingOutputs) {
		const runs = k.tui?.map((run) => run.drawing[output]);
		const pool = (pick: (run: NonNullable<typeof runs>[number]) => number[]) =>
			pooled(runs?.flatMap(pick));
		const key = pool((run) => run.keyBytes);
		const message = pool((run) => run.messageBytes);
		const isApp = output === 'writer';
		const label = drawingLabels[output];
		rows.push(
			{
				id: `tui-bytes-key-${output}`,
				label: `TUI bytes per keystroke, ${label}`,
				unit: 'B',
				higherIsBetter: false,
				korichat: key,
				target: isApp ? target('≤ 200 B', atMost(key, 200)) : undefined,
			},
			{
				id: `tui-bytes-message-${output}`,
				label: `  per incoming message, ${label}`,
				unit: 'B',
				higherIsBetter: false,
				korichat: message,
				target: isApp ? target('≤ 2 KiB', atMost(message, 2048)) : undefined,
			},
			{
				id: `tui-bytes-pageup-${output}`,
				label: `  per PageUp, ${label}`,
				unit: 'B',
				higherIsBetter: false,
				korichat: pool((run) => run.pageUpBytes),
			},
			{
				id: `tui-key-write-${output}`,
				label: `  keystroke → bytes written, ${label}`,
				unit: 'ms',
				higherIsBetter: false,
				korichat: pool((run) => run.keyMs),
			},
		);
	}
	return rows;
}
