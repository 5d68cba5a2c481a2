import { findEjabberd, startEjabberd } from '../lib/ejabberd-process.js';
import type { PeerProcess } from '../lib/peer-process.js';
import { findProsody, startProsody, xmppDomain } from '../lib/prosody-process.js';
import type { XmppFanoutResult } from '../workloads/xmpp.js';
import type { BenchContext } from './context.js';

export const xmppPeers = ['prosody', 'ejabberd'] as const;
export type XmppPeer = (typeof xmppPeers)[number];

export const xmppPeerNames: Record<XmppPeer, string> = { prosody: 'Prosody', ejabberd: 'ejabberd' };

const installHints: Record<XmppPeer, string> = {
	prosody: 'sudo apt-get install prosody lua-dbi-sqlite3',
	ejabberd: 'sudo apt-get install ejabberd erlang-p1-sqlite3',
};

/** What each peer stores and fsyncs in the bench's config; printed with the table. */
export const xmppDurability: Record<XmppPeer, string> = {
	prosody:
		'storage sql on SQLite (rollback journal, synchronous=FULL: fsync per commit); mod_mam archives every chat message (a row in each party’s archive), mod_muc_mam one row per room message, mod_offline for offline users; one transaction per archived stanza',
	ejabberd:
		'SQL on SQLite, not Mnesia (rollback journal, synchronous=FULL: fsync per commit); mod_mam archives every chat message (a row in each party’s archive) and one row per room message, mod_offline for offline users; each row an autocommitted INSERT',
};

export type XmppResults = {
	version?: string;
	dm?: number[];
	fanout100?: XmppFanoutResult;
	fanout1000?: XmppFanoutResult;
	idle?: { perConnectionKiB: number; loginsPerSecond: number }[];
};

/** The installed peers' versions; logs how to install the missing ones. */
export function findXmppPeers(
	wanted: readonly XmppPeer[],
	log: (line: string) => void,
): Partial<Record<XmppPeer, string>> {
	const found: Partial<Record<XmppPeer, string>> = {};
	for (const peer of wanted) {
		const probe = peer === 'prosody' ? findProsody() : findEjabberd();
		if ('version' in probe) found[peer] = probe.version;
		else log(`${probe.missing}, so the bench goes on without it. Install: ${installHints[peer]}`);
	}
	return found;
}

async function withPeer<T>(
	context: BenchContext,
	peer: XmppPeer,
	body: (server: PeerProcess) => Promise<T>,
): Promise<T> {
	const dir = await context.tempDir(peer);
	const start = peer === 'prosody' ? startProsody : startEjabberd;
	const server = await start(dir, context.files);
	try {
		return await body(server);
	} finally {
		await server.stop();
		await context.removeDir(dir);
	}
}

export function xmppDm(context: BenchContext, peer: XmppPeer): Promise<number[]> {
	const { sizes } = context;
	return withPeer(context, peer, (server) =>
		context.load<number[]>({
			kind: 'xmpp-dm',
			params: {
				port: server.port,
				domain: xmppDomain,
				pairs: sizes.dmPairs,
				messages: sizes.xmppDmMessages,
				runs: sizes.xmppRuns,
			},
		}),
	);
}

export function xmppFanout(
	context: BenchContext,
	peer: XmppPeer,
	members: number,
): Promise<XmppFanoutResult> {
	const { sizes } = context;
	return withPeer(context, peer, (server) =>
		context.load<XmppFanoutResult>({
			kind: 'xmpp-fanout',
			params: {
				port: server.port,
				domain: xmppDomain,
				members,
				latencyMessages: sizes.xmppFanoutLatencyMessages,
				sustainedMessages:
					members >= 1000 ? sizes.xmppFanout1000Sustained : sizes.xmppFanout100Sustained,
				runs: Math.min(3, sizes.xmppRuns),
			},
		}),
	);
}

export async function xmppIdle(
	context: BenchContext,
	peer: XmppPeer,
): Promise<NonNullable<XmppResults['idle']>> {
	const results: NonNullable<XmppResults['idle']> = [];
	for (let run = 0; run < Math.min(3, context.sizes.xmppRuns); run++) {
		results.push(
			await withPeer(context, peer, (server) =>
				context.load({
					kind: 'xmpp-idle',
					params: {
						port: server.port,
						domain: xmppDomain,
						serverPid: server.pid,
						connections: context.sizes.connections,
						users: 100,
					},
				}),
			),
		);
	}
	return results;
}
