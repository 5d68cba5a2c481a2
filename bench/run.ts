// `npm run bench [-- --quick] [-- --only dm,fanout,connections,durability,history,search,tui,cluster]
//   [-- --peers ngircd,prosody,ejabberd] [-- --no-peer]`
// Starts KoriChat (the real CLI) and the installed peers (ngIRCd; Prosody and ejabberd, durable)
// as children, drives them from a forked load process over loopback, prints a table and writes
// bench/results/<timestamp>.json and latest.json.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { reasonOf } from '../source/domain/error-reason.js';
import { parseBenchArgs, usage, type BenchArgs } from './lib/command-line.js';
import { dropAllDatabases, dropAllDatabasesSync } from './lib/cluster-services.js';
import { hardFileLimit } from './lib/file-limit.js';
import { killAllLoad } from './lib/load-process.js';
import { findNgircd } from './lib/ngircd-process.js';
import { renderTable, writeResults } from './lib/report.js';
import { killAllPeers } from './lib/peer-process.js';
import { killAllServers } from './lib/server-process.js';
import { buildRows } from './rows.js';
import { searchRows } from './search-rows.js';
import { searchSuite, type SearchSuiteResults } from './suites/search-suite.js';
import { clusterSuite, type ClusterResults } from './suites/cluster-suite.js';
import { BenchContext, fullSizes, quickSizes } from './suites/context.js';
import {
	connectionsSuite,
	dmSuite,
	durabilitySuite,
	fanoutSuite,
	historySuite,
	tuiSuite,
	type KoriChatResults,
} from './suites/korichat-suite.js';
import { ngircdDm, ngircdFanout, ngircdIdle, type NgircdResults } from './suites/ngircd-suite.js';
import {
	findXmppPeers,
	xmppDm,
	xmppDurability,
	xmppFanout,
	xmppIdle,
	xmppPeerNames,
	xmppPeers,
	type XmppPeer,
	type XmppResults,
} from './suites/xmpp-suite.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
	let args: BenchArgs | undefined;
	try {
		args = parseBenchArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`bench: ${reasonOf(error)}\n${usage}\n`);
		return 2;
	}
	if (!args) {
		log(usage);
		return 0;
	}
	const sizes = args.quick ? quickSizes : fullSizes;
	const files = Math.min(65_536, hardFileLimit());
	if (files < sizes.connections + 1000) {
		log(
			`warning: the open-file limit (${files}) is below ${sizes.connections} connections; raise ulimit -Hn`,
		);
	}
	const cliPath = fileURLToPath(new URL('../cli.js', import.meta.url));
	const context = new BenchContext(cliPath, sizes, files, log);
	activeContext = context;
	const ngircd = args.peer ? findNgircd() : undefined;
	if (args.peer && !ngircd) {
		log(
			'ngIRCd is not installed, so the bench goes on without it. Install: sudo apt-get install ngircd',
		);
	}
	const ngircdVersion = ngircd
		? spawnSync(ngircd, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]
		: undefined;
	const xmppVersions = findXmppPeers(args.xmpp, log);
	const xmpp = xmppPeers.filter((name) => xmppVersions[name] !== undefined);
	const startedAt = new Date().toISOString();
	const loadBefore = loadavg();
	log(
		`korichat bench (${args.quick ? 'quick' : 'full'}), ${cpus().length} cores, load average ${loadBefore.map((value) => value.toFixed(2)).join(' ')}`,
	);
	if (loadBefore[0]! > 1) log('warning: the machine is busy; figures will be noisy (see uptime)');

	const korichat: KoriChatResults = {};
	const peer: NgircdResults = { version: ngircdVersion };
	const xmppResults: Partial<Record<XmppPeer, XmppResults>> = {};
	for (const name of xmpp) xmppResults[name] = { version: xmppVersions[name] };
	let cluster: ClusterResults | undefined;
	let search: SearchSuiteResults | undefined;
	const step = async (name: string, action: () => Promise<void>) => {
		const started = performance.now();
		log(`- ${name} …`);
		await action();
		log(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	};
	const xmppErrors: string[] = [];
	// A peer that fails one workload is reported and skipped; the rest of the bench goes on.
	const eachXmpp = async (
		what: string,
		action: (name: XmppPeer, results: XmppResults) => Promise<void>,
	) => {
		for (const name of xmpp) {
			await step(`${xmppPeerNames[name]} ${what}`, async () => {
				try {
					await action(name, xmppResults[name]!);
				} catch (error) {
					const message = error instanceof Error ? error.message : String(error);
					xmppErrors.push(`${xmppPeerNames[name]} ${what}: ${message}`);
					log(`  failed: ${message}`);
				}
			});
		}
	};
	try {
		if (args.only.has('dm')) {
			await step('KoriChat DM throughput', async () => void (korichat.dm = await dmSuite(context)));
			if (ngircd)
				await step(
					'ngIRCd DM throughput',
					async () => void (peer.dm = await ngircdDm(context, ngircd)),
				);
			await eachXmpp('DM throughput (durable)', async (name, results) => {
				results.dm = await xmppDm(context, name);
			});
		}
		if (args.only.has('fanout')) {
			await step(
				'KoriChat fan-out to 100',
				async () => void (korichat.fanout100 = await fanoutSuite(context, 100)),
			);
			if (ngircd)
				await step(
					'ngIRCd fan-out to 100',
					async () => void (peer.fanout100 = await ngircdFanout(context, ngircd, 100)),
				);
			await eachXmpp('fan-out to 100 (MUC)', async (name, results) => {
				results.fanout100 = await xmppFanout(context, name, 100);
			});
			await step(
				'KoriChat fan-out to 1,000',
				async () => void (korichat.fanout1000 = await fanoutSuite(context, 1000)),
			);
			if (ngircd)
				await step(
					'ngIRCd fan-out to 1,000',
					async () => void (peer.fanout1000 = await ngircdFanout(context, ngircd, 1000)),
				);
			if (sizes.xmppFanout1000) {
				await eachXmpp('fan-out to 1,000 (MUC)', async (name, results) => {
					results.fanout1000 = await xmppFanout(context, name, 1000);
				});
			} else if (xmpp.length > 0)
				log('  (XMPP peers: the 1,000-member room runs in full runs only)');
		}
		if (args.only.has('connections')) {
			await step(
				`KoriChat ${sizes.connections} idle connections`,
				async () => void (korichat.connections = await connectionsSuite(context)),
			);
			// How much of the RSS delta is V8's young generation growing (full runs only).
			if (!args.quick) {
				await step(`KoriChat idle connections again, node --max-semi-space-size=1`, async () => {
					const options = '--max-semi-space-size=1';
					korichat.connectionsSmallYoungGen = await connectionsSuite(context, options, 2);
				});
			}
			if (ngircd)
				await step(
					`ngIRCd ${sizes.connections} idle connections`,
					async () => void (peer.idle = await ngircdIdle(context, ngircd)),
				);
			await eachXmpp(`${sizes.connections} idle connections`, async (name, results) => {
				results.idle = await xmppIdle(context, name);
			});
		}
		if (args.only.has('durability')) {
			await step(
				'KoriChat durability (100 senders)',
				async () => void (korichat.durability = await durabilitySuite(context)),
			);
		}
		if (args.only.has('history')) {
			await step(
				`KoriChat big history (${sizes.historyMessages.toLocaleString('en-US')} messages)`,
				async () => void (korichat.history = await historySuite(context)),
			);
		}
		if (args.only.has('search')) {
			await step(
				`SEARCH latency (${sizes.searchMessages.toLocaleString('en-US')} messages; sql.js, then PostgreSQL)`,
				async () => void (search = await searchSuite(context)),
			);
		}
		if (args.only.has('tui')) {
			await step(
				`TUI keystroke to frame (${sizes.tuiMessages.toLocaleString('en-US')} messages)`,
				async () => void (korichat.tui = await tuiSuite(context)),
			);
		}
		if (args.only.has('cluster')) {
			await step(
				'Cluster: embedded vs 1 PostgreSQL node vs 3 nodes, then fail-over',
				async () => void (cluster = await clusterSuite(context)),
			);
		}
	} finally {
		killAllLoad();
		killAllServers();
		killAllPeers();
		await context.removeAll();
		await dropAllDatabases();
	}
	const rows = [
		...buildRows(korichat, peer, sizes, cluster, xmppResults),
		...(search?.stores.flatMap(searchRows) ?? []),
	];
	log('');
	log(renderTable(rows));
	for (const row of rows)
		if (row.id.startsWith('search-') && row.note) log(`${row.label}: ${row.note}`);
	for (const name of xmpp) log(`${xmppResults[name]!.version}: ${xmppDurability[name]}`);
	if (xmpp.length > 0) {
		log(
			`XMPP peers: DM ${sizes.xmppDmMessages.toLocaleString('en-US')} per pair and ${sizes.xmppRuns} runs (KoriChat ${sizes.dmMessages.toLocaleString('en-US')} and ${sizes.runs}); fan-out latency ${sizes.xmppFanoutLatencyMessages} messages, sustained ${sizes.xmppFanout100Sustained} / ${sizes.xmppFanout1000Sustained} messages`,
		);
	}
	for (const error of xmppErrors) log(`not measured: ${error}`);
	if (cluster?.skipped) log(`\ncluster workload skipped: ${cluster.skipped}`);
	for (const reason of search?.skipped ?? []) log(`\nsearch: not measured on ${reason}`);
	for (const error of cluster?.errors ?? []) log(`\ncluster: ${error}`);
	const report = {
		startedAt,
		finishedAt: new Date().toISOString(),
		mode: args.quick ? 'quick' : 'full',
		machine: { cores: cpus().length, node: process.version, loadBefore, loadAfter: loadavg() },
		peer: ngircdVersion ?? null,
		xmppPeers: Object.fromEntries(
			xmpp.map((name) => [name, { version: xmppVersions[name], durability: xmppDurability[name] }]),
		),
		sizes,
		rows,
		raw: {
			korichat,
			ngircd: peer,
			xmpp: xmppResults,
			cluster: cluster ?? null,
			search: search ?? null,
		},
	};
	const resultsDir = fileURLToPath(new URL('../../bench/results', import.meta.url));
	const path = await writeResults(resultsDir, report);
	log(
		`\nwrote ${path} and latest.json; load average now ${loadavg()
			.map((value) => value.toFixed(2))
			.join(' ')}`,
	);
	return 0;
}

let activeContext: BenchContext | undefined;

const cleanUpAndExit = (code: number) => {
	killAllLoad();
	killAllServers();
	killAllPeers();
	activeContext?.removeAllSync();
	dropAllDatabasesSync();
	process.exit(code);
};
process.on('SIGINT', () => cleanUpAndExit(130));
process.on('SIGTERM', () => cleanUpAndExit(143));

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		process.stderr.write(
			`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
		);
		process.exit(1);
	},
);
