import {
	createDatabase,
	dropDatabase,
	redisUrl,
	unreachableServices,
} from '../lib/cluster-services.js';
import type { Fixture, FixtureSpec } from '../lib/fixture.js';
import { startKoriChat, type ServerProcess } from '../lib/server-process.js';
import type { FailoverRound } from '../workloads/failover.js';
import type { FanoutResult } from '../workloads/korichat.js';
import type { BenchContext } from './context.js';

/** The three ways to run the same workloads: sql.js, one PostgreSQL node, three nodes + Redis. */
export const clusterSetups = ['embedded', 'postgres1', 'postgres3'] as const;
export type ClusterSetup = (typeof clusterSetups)[number];

export const setupLabels: Record<ClusterSetup, string> = {
	embedded: 'embedded (sql.js), 1 node',
	postgres1: 'PostgreSQL, 1 node',
	postgres3: 'PostgreSQL + Redis, 3 nodes',
};

export type SetupResults = {
	dm?: number[];
	/** 100 senders, one SEND in flight each: 202s per second, one figure per window. */
	senders?: number[];
	fanout100?: FanoutResult;
	fanout1000?: FanoutResult;
};

export type ClusterResults = {
	/** Why the workload did not run (PostgreSQL or Redis not reachable). */
	skipped?: string;
	setups: Partial<Record<ClusterSetup, SetupResults>>;
	failover?: FailoverRound[];
	/** Workloads that failed, one line each; the others still ran. */
	errors: string[];
};

const nodeCount = (setup: ClusterSetup) => (setup === 'postgres3' ? 3 : 1);

/** A fixture and the nodes serving it; `stop` stops the nodes and removes the data. */
type Deployment = {
	fixture: Fixture;
	nodes: ServerProcess[];
	/** Starts node `index` again (after a kill), on a new port. */
	restart(index: number): Promise<void>;
	stop(): Promise<void>;
};

async function deploy(
	context: BenchContext,
	setup: ClusterSetup,
	label: string,
	spec: FixtureSpec,
): Promise<Deployment> {
	if (setup === 'embedded') {
		const { dir, fixture } = await context.fixture(label, spec);
		const nodes = [await context.startServer(dir)];
		return {
			fixture,
			nodes,
			restart: async () => void (nodes[0] = await context.startServer(dir)),
			async stop() {
				await Promise.all(nodes.map((node) => node.stop()));
				await context.removeDir(dir);
			},
		};
	}
	const database = await createDatabase(label);
	const dirs: string[] = [];
	const nodes: ServerProcess[] = [];
	const start = (index: number) =>
		startKoriChat(
			context.cliPath,
			dirs[index]!,
			[
				'--max-connections-per-ip',
				'0',
				'--store',
				database.url,
				...(setup === 'postgres3' ? ['--bus', redisUrl] : []),
			],
			{ openFiles: context.files },
		);
	const stop = async () => {
		await Promise.all(nodes.map((node) => node.stop()));
		for (const dir of dirs) await context.removeDir(dir);
		await dropDatabase(database.name);
	};
	try {
		const fixture = await context.load<Fixture>({
			kind: 'fixture',
			target: { storeUrl: database.url },
			spec,
		});
		for (let index = 0; index < nodeCount(setup); index++) {
			dirs.push(await context.tempDir(`${label}-node${index}`));
			nodes.push(await start(index));
		}
		return {
			fixture,
			nodes,
			restart: async (index) => void (nodes[index] = await start(index)),
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

async function withDeployment<T>(
	context: BenchContext,
	setup: ClusterSetup,
	label: string,
	spec: FixtureSpec,
	body: (deployment: Deployment) => Promise<T>,
): Promise<T> {
	const deployment = await deploy(context, setup, label, spec);
	try {
		return await body(deployment);
	} finally {
		await deployment.stop();
	}
}

const portsOf = (deployment: Deployment) => deployment.nodes.map((node) => node.port);

async function dm(context: BenchContext, setup: ClusterSetup): Promise<number[]> {
	const { sizes } = context;
	const spec = { users: sizes.dmPairs * 2, sessionsPerUser: 1 };
	return withDeployment(context, setup, 'dm', spec, (deployment) =>
		context.load<number[]>({
			kind: 'dm',
			params: {
				ports: portsOf(deployment),
				sessions: deployment.fixture,
				pairs: sizes.dmPairs,
				// sql.js needs the full count to run long enough to time; PostgreSQL is far slower.
				messages: setup === 'embedded' ? sizes.dmMessages : sizes.clusterDmMessages,
				runs: sizes.clusterRuns,
			},
		}),
	);
}

/** 100 users each keep one SEND in flight: how far batching across connections goes. */
async function senders(context: BenchContext, setup: ClusterSetup): Promise<number[]> {
	const count = 100;
	const spec = { users: count, sessionsPerUser: 1 };
	return withDeployment(context, setup, 'senders', spec, async (deployment) => {
		const rates: number[] = [];
		for (let run = 0; run < context.sizes.clusterRuns; run++) {
			const { messages, windowMs } = await context.load<{ messages: number; windowMs: number }>({
				kind: 'durability',
				params: {
					port: portsOf(deployment),
					sessions: deployment.fixture,
					senders: count,
					warmupMs: 1000,
					durationMs: context.sizes.durabilitySeconds * 1000,
				},
			});
			rates.push(messages / (windowMs / 1000));
		}
		return rates;
	});
}

async function fanout(
	context: BenchContext,
	setup: ClusterSetup,
	members: number,
): Promise<FanoutResult> {
	const { sizes } = context;
	const group = `g${members}`;
	const spec = { users: members, sessionsPerUser: 1, groups: [{ name: group, members }] };
	return withDeployment(context, setup, group, spec, (deployment) =>
		context.load<FanoutResult>({
			kind: 'fanout',
			params: {
				ports: portsOf(deployment),
				sessions: deployment.fixture,
				group,
				members,
				latencyMessages: sizes.fanoutLatencyMessages,
				sustainedMessages: Math.max(10, Math.round(sizes.clusterFanoutSustained / (members / 100))),
				runs: sizes.clusterRuns,
			},
		}),
	);
}

/** Three nodes; each round kills one (in turn) and starts it again afterwards. */
async function failoverRounds(context: BenchContext): Promise<FailoverRound[]> {
	const { sizes } = context;
	const clients = sizes.failoverClients;
	const group = 'everyone';
	const spec = {
		users: clients + 1,
		sessionsPerUser: 1,
		groups: [{ name: group, members: clients + 1 }],
	};
	return withDeployment(context, 'postgres3', 'failover', spec, async (deployment) => {
		const rounds: FailoverRound[] = [];
		for (let round = 0; round < sizes.failoverRounds; round++) {
			const victim = round % deployment.nodes.length;
			const result = await context.load<FailoverRound>({
				kind: 'failover',
				params: {
					ports: portsOf(deployment),
					victim,
					victimPid: deployment.nodes[victim]!.pid,
					sessions: deployment.fixture,
					clients,
					group,
					round,
					timeoutMs: 30_000,
				},
			});
			rounds.push(result);
			const slowest = result.servedMs.length > 0 ? Math.max(...result.servedMs).toFixed(0) : '–';
			context.log(
				`  fail-over round ${round + 1}: ${result.servedMs.length} clients served again, ` +
					`slowest ${slowest} ms, ${result.unserved} not served`,
			);
			await deployment.nodes[victim]!.stop();
			await deployment.restart(victim);
		}
		return rounds;
	});
}

/**
 * The same DM and fan-out workloads against each setup, then fail-over on three nodes. Skipped
 * (with the reason, in one line) when PostgreSQL or Redis does not answer.
 */
export async function clusterSuite(context: BenchContext): Promise<ClusterResults> {
	const unreachable = await unreachableServices();
	if (unreachable) {
		context.log(`  cluster workload skipped: ${unreachable}`);
		return { skipped: unreachable, setups: {}, errors: [] };
	}
	const results: ClusterResults = { setups: {}, errors: [] };
	const timed = async <T>(name: string, action: () => Promise<T>): Promise<T | undefined> => {
		const started = performance.now();
		try {
			const value = await action();
			context.log(`  ${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
			return value;
		} catch (error) {
			const line = `${name} failed: ${error instanceof Error ? error.message : String(error)}`;
			context.log(`  ${line.split('\n')[0]}`);
			results.errors.push(line);
			return undefined;
		}
	};
	for (const setup of clusterSetups) {
		const entry: SetupResults = {};
		results.setups[setup] = entry;
		const label = setupLabels[setup];
		entry.dm = await timed(`${label}: DM`, () => dm(context, setup));
		entry.senders = await timed(`${label}: 100 senders`, () => senders(context, setup));
		entry.fanout100 = await timed(`${label}: fan-out to 100`, () => fanout(context, setup, 100));
		if (context.sizes.clusterFanout1000) {
			entry.fanout1000 = await timed(`${label}: fan-out to 1,000`, () =>
				fanout(context, setup, 1000),
			);
		}
	}
	results.failover = await timed('fail-over, 3 nodes', () => failoverRounds(context));
	return results;
}
