import type { ConnectionsResult, StallResult } from '../workloads/korichat-capacity.js';
import type { FanoutResult, Sessions } from '../workloads/korichat.js';
import type { TuiResult } from '../workloads/tui.js';
import type { ServerProcess, ServerStats } from '../lib/server-process.js';
import type { BenchContext } from './context.js';

/** Raw KoriChat results, as the JSON keeps them; run.ts turns them into table rows. */
export type KoriChatResults = {
	dm?: number[];
	fanout100?: FanoutResult;
	fanout1000?: FanoutResult;
	connections?: ConnectionsResult[];
	/** The same, with the server's V8 young generation capped (node --max-semi-space-size=1). */
	connectionsSmallYoungGen?: ConnectionsResult[];
	durability?: { messagesPerSecond: number; fsyncsPerSecond: number; messagesPerFsync: number }[];
	history?: {
		messages: number;
		snapshotBytes: number;
		buildMs: number;
		startupMs: number[];
		latenciesMs: number[];
		stalls: (StallResult & { loopDelayMaxMs: number; snapshots: number })[];
		/** The same write load with snapshots off: the stalls that snapshots do not cause. */
		baseline?: StallResult & { loopDelayMaxMs: number; snapshots: number };
	};
	tui?: TuiResult[];
};

async function withServer<T>(
	context: BenchContext,
	dataDir: string,
	body: (server: ServerProcess) => Promise<T>,
	options: Parameters<BenchContext['startServer']>[1] = {},
): Promise<T> {
	const server = await context.startServer(dataDir, options);
	try {
		return await body(server);
	} finally {
		await server.stop();
	}
}

export async function dmSuite(context: BenchContext): Promise<number[]> {
	const { sizes } = context;
	const { dir, fixture } = await context.fixture('dm', {
		users: sizes.dmPairs * 2,
		sessionsPerUser: 1,
	});
	try {
		return await withServer(context, dir, (server) =>
			context.load<number[]>({
				kind: 'dm',
				params: {
					ports: [server.port],
					sessions: fixture,
					pairs: sizes.dmPairs,
					messages: sizes.dmMessages,
					runs: sizes.runs,
				},
			}),
		);
	} finally {
		await context.removeDir(dir);
	}
}

export async function fanoutSuite(context: BenchContext, members: number): Promise<FanoutResult> {
	const { sizes } = context;
	const group = `g${members}`;
	const { dir, fixture } = await context.fixture(group, {
		users: members,
		sessionsPerUser: 1,
		groups: [{ name: group, members }],
	});
	try {
		return await withServer(context, dir, (server) =>
			context.load<FanoutResult>({
				kind: 'fanout',
				params: {
					ports: [server.port],
					sessions: fixture,
					group,
					members,
					latencyMessages: sizes.fanoutLatencyMessages,
					sustainedMessages: members >= 1000 ? sizes.fanout1000Sustained : sizes.fanout100Sustained,
					runs: Math.min(3, sizes.runs),
				},
			}),
		);
	} finally {
		await context.removeDir(dir);
	}
}

/**
 * A fresh server per run, so each RSS delta starts from a clean heap. `nodeOptions` runs the same
 * CLI under other V8 settings (the bench uses it to show how much of the delta is V8's young
 * generation growing during the login burst, a fixed cost rather than a per-connection one).
 */
export async function connectionsSuite(
	context: BenchContext,
	nodeOptions?: string,
	runs = Math.min(3, context.sizes.runs),
): Promise<ConnectionsResult[]> {
	const { sizes } = context;
	// 100 users with one session each, shared by 100 sockets apiece (see docs/performance.md).
	const { dir, fixture } = await context.fixture('connections', { users: 100, sessionsPerUser: 1 });
	const results: ConnectionsResult[] = [];
	try {
		for (let run = 0; run < runs; run++) {
			const runDir = await context.copyDir(dir, 'connections-run');
			try {
				results.push(
					await withServer(
						context,
						runDir,
						(server) =>
							context.load<ConnectionsResult>({
								kind: 'connections',
								params: {
									port: server.port,
									serverPid: server.pid,
									sessions: fixture,
									connections: sizes.connections,
									passwordLogins: sizes.passwordLogins,
								},
							}),
						nodeOptions ? { env: { NODE_OPTIONS: nodeOptions } } : {},
					),
				);
			} finally {
				await context.removeDir(runDir);
			}
		}
	} finally {
		await context.removeDir(dir);
	}
	return results;
}

/** Stats deltas between the load's start and end marks. */
function windowStats(server: ServerProcess) {
	const stats: Record<string, Promise<ServerStats>> = {};
	return {
		onMark: (name: string) => {
			stats[name] = server.stats();
		},
		async delta(): Promise<{ start: ServerStats; end: ServerStats }> {
			if (!stats.start || !stats.end) throw new Error('the load reported no window');
			return { start: await stats.start, end: await stats.end };
		},
	};
}

export async function durabilitySuite(
	context: BenchContext,
): Promise<NonNullable<KoriChatResults['durability']>> {
	const { sizes } = context;
	const senders = 100;
	const { dir, fixture } = await context.fixture('durability', {
		users: senders,
		sessionsPerUser: 1,
	});
	const results: NonNullable<KoriChatResults['durability']> = [];
	try {
		await withServer(
			context,
			dir,
			async (server) => {
				for (let run = 0; run < Math.min(3, sizes.runs); run++) {
					const window = windowStats(server);
					const { messages, windowMs } = await context.load<{ messages: number; windowMs: number }>(
						{
							kind: 'durability',
							params: {
								port: server.port,
								sessions: fixture,
								senders,
								warmupMs: 1000,
								durationMs: sizes.durabilitySeconds * 1000,
							},
						},
						window.onMark,
					);
					const { start, end } = await window.delta();
					const fsyncs = end.fsyncs - start.fsyncs;
					const seconds = windowMs / 1000;
					results.push({
						messagesPerSecond: messages / seconds,
						fsyncsPerSecond: fsyncs / seconds,
						messagesPerFsync: messages / Math.max(1, fsyncs),
					});
				}
			},
			{ metrics: true },
		);
	} finally {
		await context.removeDir(dir);
	}
	return results;
}

export async function historySuite(
	context: BenchContext,
): Promise<NonNullable<KoriChatResults['history']>> {
	const { sizes } = context;
	const conversations = 200;
	const { dir, fixture } = await context.fixture('history', {
		users: conversations + 1,
		sessionsPerUser: 1,
		history: {
			messages: sizes.historyMessages,
			conversations,
			journalTail: sizes.historyJournalTail,
		},
	});
	const { statSync } = await import('node:fs');
	const snapshotBytes = statSync(`${dir}/snapshot.db`).size;
	const startupMs: number[] = [];
	const latenciesMs: number[] = [];
	const stalls: NonNullable<KoriChatResults['history']>['stalls'] = [];
	let baseline: NonNullable<KoriChatResults['history']>['baseline'];
	const maxId = sizes.historyMessages + sizes.historyJournalTail;
	try {
		for (let run = 0; run < Math.min(3, sizes.runs); run++) {
			// A fresh copy each time: the snapshot plus the journal tail a restart must replay.
			const runDir = await context.copyDir(dir, 'history-run');
			try {
				// Small snapshot threshold: the write load below crosses it several times.
				const options = { args: ['--snapshot-after', String(8 * 1024 * 1024)], metrics: true };
				await withServer(
					context,
					runDir,
					async (server) => {
						startupMs.push(server.startupMs);
						latenciesMs.push(
							...(await context.load<number[]>({
								kind: 'history',
								params: {
									port: server.port,
									cookie: fixture.cookies[0]![0]!,
									partners: fixture.users.slice(1),
									maxId,
									requests: sizes.historyRequests,
								},
							})),
						);
						stalls.push(await stallRun(context, server, fixture));
					},
					options,
				);
			} finally {
				await context.removeDir(runDir);
			}
		}
		// Once more with snapshots off, to tell the stalls snapshots cause from the load's own.
		const runDir = await context.copyDir(dir, 'history-baseline');
		try {
			const options = { args: ['--snapshot-after', String(2 ** 50)], metrics: true };
			baseline = await withServer(
				context,
				runDir,
				(server) => stallRun(context, server, fixture),
				options,
			);
		} finally {
			await context.removeDir(runDir);
		}
	} finally {
		await context.removeDir(dir);
	}
	return {
		messages: maxId,
		snapshotBytes,
		buildMs: fixture.buildMs,
		startupMs,
		latenciesMs,
		stalls,
		baseline,
	};
}

async function stallRun(context: BenchContext, server: ServerProcess, fixture: Sessions) {
	const window = windowStats(server);
	const stall = await context.load<StallResult>(
		{
			kind: 'stall',
			params: {
				port: server.port,
				sessions: fixture,
				senders: 20,
				warmupMs: 500,
				durationMs: context.sizes.stallSeconds * 1000,
			},
		},
		window.onMark,
	);
	const { start, end } = await window.delta();
	return {
		...stall,
		loopDelayMaxMs: end.loopDelayMaxMs,
		snapshots: end.snapshots - start.snapshots,
	};
}

export async function tuiSuite(context: BenchContext): Promise<TuiResult[]> {
	const { sizes } = context;
	const results: TuiResult[] = [];
	for (let run = 0; run < Math.min(3, sizes.runs); run++) {
		results.push(
			await context.load<TuiResult>({
				kind: 'tui',
				params: {
					messages: sizes.tuiMessages,
					keystrokes: sizes.tuiKeystrokes,
					columns: 120,
					rows: 40,
				},
			}),
		);
	}
	return results;
}
