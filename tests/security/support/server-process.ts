import { readFileSync } from 'node:fs';
import { runCli, type CliProcess } from '../../helpers/cli-process.js';

export type ServerProcess = CliProcess & {
	readonly port: number;
	/** SIGKILL, then waits for the exit. */
	kill9(): Promise<void>;
	/** SIGTERM (a clean shutdown); resolves with the exit code. */
	stop(): Promise<number | null>;
	/** Resident memory of the server process, from /proc. */
	rssBytes(): number;
};

const running = new Set<ServerProcess>();

/** SIGKILLs every server this file started that is still running (for an afterEach or afterAll). */
export async function killServerProcesses(): Promise<void> {
	await Promise.all([...running].map((server) => server.kill9()));
}

/** `korichat --serve --headless` as a child process on a free port over `dataDir`. */
export async function startServerProcess(
	dataDir: string,
	args: readonly string[] = [],
	env: NodeJS.ProcessEnv = {},
): Promise<ServerProcess> {
	const cli = runCli(['--serve', '--headless', '--port', '0', '--data', dataDir, ...args], env);
	const port = await cli.listening;
	const server: ServerProcess = {
		...cli,
		port,
		async kill9() {
			if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
			await cli.exited;
		},
		async stop() {
			if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGTERM');
			return cli.exited;
		},
		rssBytes() {
			const status = readFileSync(`/proc/${cli.child.pid}/status`, 'utf8');
			const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
			if (kib === undefined) throw new Error('no VmRSS in /proc status');
			return Number(kib) * 1024;
		},
	};
	running.add(server);
	void cli.exited.then(() => running.delete(server));
	return server;
}
