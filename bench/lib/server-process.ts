import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { withFileLimit } from './file-limit.js';
import { sleep } from './stats.js';

/** Resident set size of a process in KiB, from /proc/<pid>/status. */
export function rssKiB(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
	if (!match) throw new Error(`no VmRSS for process ${pid}`);
	return Number(match[1]);
}

/** Storage and event-loop figures the server prints on SIGUSR2 when KORICHAT_BENCH_STATS=1. */
export type ServerStats = {
	readonly fsyncs: number;
	readonly records: number;
	readonly journalBytes: number;
	readonly snapshots: number;
	/** Longest event-loop delay since the previous report, in ms. */
	readonly loopDelayMaxMs: number;
};

export type ServerProcess = {
	readonly child: ChildProcess;
	readonly pid: number;
	readonly port: number;
	/** Milliseconds from spawn to the "listening" line. */
	readonly startupMs: number;
	rssKiB(): number;
	stats(): Promise<ServerStats>;
	stop(): Promise<void>;
};

const everyProcess = new Set<ChildProcess>();

/** Kills every child this module started; for exit and signal handlers. */
export function killAllServers(): void {
	for (const child of everyProcess) child.kill('SIGKILL');
}

/**
 * Runs the real CLI as a child: `node dist/cli.js --serve --headless --port 0 --data DIR
 * --rate-limit 0 [extra]`, and resolves once it prints where it listens.
 */
export async function startKoriChat(
	cliPath: string,
	dataDir: string,
	extraArgs: readonly string[] = [],
	env: NodeJS.ProcessEnv = {},
	openFiles = 65_536,
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
		...extraArgs,
	];
	const started = performance.now();
	const limited = withFileLimit(openFiles, process.execPath, args);
	const child = spawn(limited.command, limited.args, {
		stdio: ['ignore', 'pipe', 'pipe'],
		env: { ...process.env, KORICHAT_BENCH_STATS: '1', ...env },
	});
	everyProcess.add(child);
	child.on('exit', () => everyProcess.delete(child));
	const statsWaiters: ((stats: ServerStats) => void)[] = [];
	const errors: string[] = [];
	createInterface({ input: child.stderr! }).on('line', (line) => {
		if (line.startsWith('korichat-stats ')) {
			statsWaiters.shift()?.(JSON.parse(line.slice('korichat-stats '.length)) as ServerStats);
		} else if (errors.length < 50) {
			errors.push(line);
		}
	});
	const port = await new Promise<number>((resolve, reject) => {
		const lines = createInterface({ input: child.stdout! });
		lines.on('line', (line) => {
			const match = /listening on \S+:(\d+)/.exec(line);
			if (match) resolve(Number(match[1]));
		});
		child.once('exit', (code) =>
			reject(new Error(`korichat exited with ${code} before listening: ${errors.join(' | ')}`)),
		);
	});
	const startupMs = performance.now() - started;
	const pid = child.pid!;
	return {
		child,
		pid,
		port,
		startupMs,
		rssKiB: () => rssKiB(pid),
		stats() {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no stats from the server')), 10_000);
				statsWaiters.push((stats) => {
					clearTimeout(timer);
					resolve(stats);
				});
				child.kill('SIGUSR2');
			});
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
