/** The bench's command line: which workloads, which peers, how big. */
import { parseArgs } from 'node:util';
import { xmppPeers, type XmppPeer } from '../suites/xmpp-suite.js';

export const workloads = [
	'dm',
	'fanout',
	'connections',
	'durability',
	'history',
	'search',
	'tui',
	'cluster',
] as const;
export type Workload = (typeof workloads)[number];
/** Without --only: every workload but the cluster one (it needs PostgreSQL and Redis, and takes minutes). */
const defaultWorkloads: readonly Workload[] = workloads.filter((name) => name !== 'cluster');

const peerNames = ['ngircd', ...xmppPeers] as const;
type PeerName = (typeof peerNames)[number];

export const usage = `usage: npm run bench [-- --quick] [-- --only ${workloads.join(',')}]
                 [-- --peers ${peerNames.join(',')}] [-- --no-peer]`;

export interface BenchArgs {
	quick: boolean;
	/** ngIRCd beside KoriChat. */
	peer: boolean;
	xmpp: XmppPeer[];
	only: Set<Workload>;
}

/** The command line, or undefined after --help; an unknown option is refused, never ignored. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | undefined {
	const { values } = parseArgs({
		args: [...argv],
		strict: true,
		allowPositionals: false,
		options: {
			quick: { type: 'boolean' },
			only: { type: 'string' },
			peers: { type: 'string' },
			'no-peer': { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) return undefined;
	const peers = values['no-peer']
		? []
		: values.peers === undefined
			? [...peerNames]
			: values.peers.split(',').filter((name) => name !== '');
	for (const name of peers) {
		if (!peerNames.includes(name as PeerName)) {
			throw new Error(`unknown peer "${name}"; choose from ${peerNames.join(', ')}`);
		}
	}
	const peer = peers.includes('ngircd');
	const xmpp = xmppPeers.filter((name) => peers.includes(name));
	const only = values.only === undefined ? [...defaultWorkloads] : values.only.split(',');
	for (const name of only) {
		if (!workloads.includes(name as Workload)) {
			throw new Error(`unknown workload "${name}"; choose from ${workloads.join(', ')}`);
		}
	}
	return { quick: values.quick === true, peer, xmpp, only: new Set(only as Workload[]) };
}
