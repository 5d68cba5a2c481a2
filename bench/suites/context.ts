import { rmSync } from 'node:fs';
import { cp, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadTask } from '../load.js';
import type { Fixture, FixtureSpec } from '../lib/fixture.js';
import { runLoad } from '../lib/load-process.js';
import { startKoriChat, type ServerProcess, type StartOptions } from '../lib/server-process.js';

/** Sizes of one bench run; `--quick` shrinks them to finish in about a minute. */
export type Sizes = {
	readonly runs: number;
	readonly dmPairs: number;
	readonly dmMessages: number;
	readonly fanoutLatencyMessages: number;
	readonly fanout100Sustained: number;
	readonly fanout1000Sustained: number;
	readonly connections: number;
	readonly passwordLogins: number;
	readonly durabilitySeconds: number;
	readonly historyMessages: number;
	readonly historyJournalTail: number;
	readonly historyRequests: number;
	readonly stallSeconds: number;
	readonly tuiMessages: number;
	readonly tuiKeystrokes: number;
	/** Cluster workload: runs, and messages per DM pair on PostgreSQL (sql.js takes dmMessages). */
	readonly clusterRuns: number;
	readonly clusterDmMessages: number;
	readonly clusterFanoutSustained: number;
	readonly clusterFanout1000: boolean;
	/** Fail-over: clients over three nodes, and rounds (one node killed per round). */
	readonly failoverClients: number;
	readonly failoverRounds: number;
	/** Search: messages in the store, and requests of each query kind per run. */
	readonly searchMessages: number;
	readonly searchRequests: number;
	/** The XMPP peers reach hundreds of durable messages/s, not tens of thousands: smaller runs. */
	readonly xmppRuns: number;
	readonly xmppDmMessages: number;
	readonly xmppFanoutLatencyMessages: number;
	readonly xmppFanout100Sustained: number;
	readonly xmppFanout1000Sustained: number;
	/** Prosody's MUC spends seconds of CPU per thousand joins: the 1,000-member room is full-run only. */
	readonly xmppFanout1000: boolean;
};

export const fullSizes: Sizes = {
	runs: 5,
	dmPairs: 4,
	dmMessages: 25_000,
	fanoutLatencyMessages: 100,
	fanout100Sustained: 500,
	fanout1000Sustained: 100,
	connections: 10_000,
	passwordLogins: 16,
	durabilitySeconds: 5,
	historyMessages: 1_000_000,
	historyJournalTail: 20_000,
	historyRequests: 2000,
	stallSeconds: 15,
	tuiMessages: 10_000,
	tuiKeystrokes: 200,
	clusterRuns: 3,
	clusterDmMessages: 1500,
	clusterFanoutSustained: 200,
	clusterFanout1000: true,
	failoverClients: 150,
	failoverRounds: 6,
	searchMessages: 1_000_000,
	searchRequests: 100,
	xmppRuns: 3,
	xmppDmMessages: 500,
	xmppFanoutLatencyMessages: 50,
	xmppFanout100Sustained: 100,
	xmppFanout1000Sustained: 20,
	xmppFanout1000: true,
};

export const quickSizes: Sizes = {
	runs: 2,
	dmPairs: 4,
	dmMessages: 5000,
	fanoutLatencyMessages: 25,
	fanout100Sustained: 100,
	fanout1000Sustained: 20,
	connections: 2000,
	passwordLogins: 4,
	durabilitySeconds: 2,
	historyMessages: 100_000,
	historyJournalTail: 2000,
	historyRequests: 300,
	stallSeconds: 3,
	tuiMessages: 10_000,
	tuiKeystrokes: 40,
	clusterRuns: 2,
	clusterDmMessages: 1000,
	clusterFanoutSustained: 50,
	clusterFanout1000: false,
	failoverClients: 30,
	failoverRounds: 3,
	searchMessages: 100_000,
	searchRequests: 30,
	xmppRuns: 2,
	xmppDmMessages: 100,
	xmppFanoutLatencyMessages: 10,
	xmppFanout100Sustained: 20,
	xmppFanout1000Sustained: 5,
	xmppFanout1000: false,
};

/** Everything a suite needs, and the bookkeeping that lets run.ts clean up after any failure. */
export class BenchContext {
	readonly #temps = new Set<string>();

	constructor(
		readonly cliPath: string,
		readonly sizes: Sizes,
		readonly files: number,
		readonly log: (line: string) => void,
	) {}

	async tempDir(name: string): Promise<string> {
		const dir = await mkdtemp(join(tmpdir(), `korichat-bench-${name}-`));
		this.#temps.add(dir);
		return dir;
	}

	async copyDir(from: string, name: string): Promise<string> {
		const dir = await this.tempDir(name);
		// A server's control socket is not data, and cannot be copied.
		await cp(from, dir, {
			recursive: true,
			filter: async (source) => !(await lstat(source)).isSocket(),
		});
		return dir;
	}

	async removeDir(dir: string): Promise<void> {
		await rm(dir, { recursive: true, force: true });
		this.#temps.delete(dir);
	}

	/** For signal handlers, which cannot wait. */
	removeAllSync(): void {
		for (const dir of this.#temps) rmSync(dir, { recursive: true, force: true });
		this.#temps.clear();
	}

	async removeAll(): Promise<void> {
		for (const dir of [...this.#temps]) await this.removeDir(dir);
	}

	load<T>(task: LoadTask, onMark?: (name: string) => void, timeoutMs = 600_000): Promise<T> {
		return runLoad<T>(task, { files: this.files, timeoutMs, onMark });
	}

	/** Builds a data folder in a forked process (its sql.js memory goes away with it). */
	async fixture(name: string, spec: FixtureSpec): Promise<{ dir: string; fixture: Fixture }> {
		const dir = await this.tempDir(name);
		const fixture = await this.load<Fixture>({ kind: 'fixture', target: { dir }, spec });
		return { dir, fixture };
	}

	/** `args` are added to the server's flags; `metrics` serves /metrics for ServerProcess.stats(). */
	startServer(
		dataDir: string,
		{ args = [], ...options }: { args?: readonly string[] } & Omit<StartOptions, 'openFiles'> = {},
	): Promise<ServerProcess> {
		// Loopback is exempt from the per-address limit anyway; said here so a bench never hits it.
		return startKoriChat(this.cliPath, dataDir, ['--max-connections-per-ip', '0', ...args], {
			...options,
			openFiles: this.files,
		});
	}
}
