import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { withFileLimit } from './file-limit.js';
import { PrometheusSamples } from './prometheus-text.js';
import { sleep } from './stats.js';

/** Resident set size of a process in KiB, from /proc/<pid>/status. */
export function rssKiB(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]);
}

/** Storage and event-loop figures, read from the server's Prometheus /metrics (`--metrics`). */
export type ServerStats = {
	/** Journal group commits (one fsync each) since the server started. */
	readonly fsyncs: number;
	/** Journal records (writes) since the server started. */
	readonly records: number;
	readonly journalBytes: number;
	readonly snapshots: number;
	/**
	 * Longest event-loop delay since the previous scrape, in ms: prom-client resets the delay
	 * histogram behind nodejs_eventloop_lag_max_seconds at every scrape, and the bench is the
	 * only one scraping its servers.
	 */
	readonly loopDelayMaxMs: number;
	readonly heapUsedKiB: number;
	readonly externalKiB: number;
};

/** The figures of one scrape of a KoriChat server's /metrics. */
export function serverStatsFrom(text: string): ServerStats {
	const samples = new PrometheusSamples(text);
	return {
		fsyncs: samples.get('korichat_journal_fsync_duration_seconds_count'),
		records: samples.get('korichat_journal_group_commit_records_sum'),
		journalBytes: samples.get('korichat_journal_bytes_total'),
		snapshots: samples.get('korichat_snapshot_duration_seconds_count'),
		loopDelayMaxMs: samples.get('nodejs_eventloop_lag_max_seconds') * 1000,
		heapUsedKiB: Math.round(samples.get('nodejs_heap_size_used_bytes') / 1024),
		externalKiB: Math.round(samples.get('nodejs_external_memory_bytes') / 1024),
	};
}

export type ServerProcess = {
	readonly child: ChildProcess;
	readonly pid: number;
	readonly port: number;
	/** Milliseconds from spawn to the "listening" line. */
	readonly startupMs: number;
	rssKiB(): number;
	/** One scrape of /metrics; only for a server started with `metrics: true`. */
	stats(): Promise<ServerStats>;
	stop(): Promise<void>;
};

const everyProcess = new Set<ChildProcess>();

/** Kills every child this module started; for exit and signal handlers. */
export function killAllServers(): void {
	for (const child of everyProcess) child.kill('SIGKILL');
}

export type StartOptions = {
	/**
	 * `--metrics 127.0.0.1:0`, for stats(). Off by default: counting every request with
	 * prom-client costs CPU, and the throughput workloads measure the server without it.
	 */
	readonly metrics?: boolean;
	/** Added to the bench's environment (e.g. NODE_OPTIONS). */
	readonly env?: NodeJS.ProcessEnv;
	readonly openFiles?: number;
};

/**
 * Runs the real CLI as a child: `node dist/cli.js --serve --headless --port 0 --data DIR
 * --rate-limit 0 [--metrics 127.0.0.1:0] [extra]`, and resolves once it prints where it listens
 * (and where its metrics are).
 */
export async function startKoriChat(
	cliPath: string,
	dataDir: string,
	extraArgs: readonly string[] = [],
	{ metrics = false, env = {}, openFiles = 65_536 }: StartOptions = {},
): Promise<ServerProcess> {
	// KORICHAT_BENCH_SERVER_NODE_ARGS (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) profiles the server.
	const nodeArgs = (process.env['KORICHAT_BENCH_SERVER_NODE_ARGS'] ?? '')
		.split(' ')
		.filter(Boolean);
	const args = [
		...nodeArgs,
		cliPath,
		'--serve',
		'--headless',
		'--port',
		'0',
		'--data',
		dataDir,
		'--rate-limit',
		'0',
		...(metrics ? ['--metrics', '127.0.0.1:0'] : []),
		...extraArgs,
	];
	const started = performance.now();
	const limited = withFileLimit(openFiles, process.execPath, args);
	const child = spawn(limited.command, limited.args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, ...env },
	});
	everyProcess.add(child);
	child.on('exit', () => everyProcess.delete(child));
	const errors: string[] = [];
	createInterface({ input: child.stderr! }).on('line', (line) => {
		if (errors.length < 50) errors.push(line);
	});
	let startupMs = 0;
	const { port, metricsUrl } = await new Promise<{ port: number; metricsUrl?: string }>(
		(resolve, reject) => {
			let port: number | undefined;
			const lines = createInterface({ input: child.stdout! });
			lines.on('line', (line) => {
				const listening = /^korichat listening on \S+:(\d+)$/.exec(line);
				if (listening) {
					port = Number(listening[1]);
					startupMs = performance.now() - started;
					if (!metrics) resolve({ port });
				}
				// Printed right after the listening line.
				const endpoint = /^korichat metrics on (http:\/\/\S+\/metrics)$/.exec(line);
				if (endpoint && port !== undefined) resolve({ port, metricsUrl: endpoint[1]! });
			});
			child.once('exit', (code) =>
				reject(new Error(`korichat exited with ${code} before listening: ${errors.join(' | ')}`)),
			);
		},
	);
	const pid = child.pid!;
	return {
		child,
		pid,
		port,
		startupMs,
		rssKiB: () => rssKiB(pid),
		async stats() {
			if (metricsUrl === undefined) throw new Error('stats() needs a server started with metrics');
			const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(10_000) });
			if (!response.ok) throw new Error(`${metricsUrl} answered ${response.status}`);
			return serverStatsFrom(await response.text());
		},
		stop: () => stopChild(child, 60_000),
	};
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	child.kill('SIGTERM');
	const timedOut = await Promise.race([exited.then(() => false), sleep(graceMs).then(() => true)]);
	if (timedOut) {
		child.kill('SIGKILL');
		await exited;
	}
}
