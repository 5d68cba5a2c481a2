import { expect } from 'vitest';
import { runCli, type CliProcess } from '../../helpers/cli-process.js';

export type AdminRun = {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
	/** stdout parsed, for a run with --json. */
	readonly json: any;
};

/** Runs `korichat admin …` as its own process, as an operator's script would, and waits for it. */
export async function admin(
	args: readonly string[],
	env: NodeJS.ProcessEnv = {},
): Promise<AdminRun> {
	const cli = runCli(['admin', ...args], { KORICHAT_STORE: '', KORICHAT_BUS: '', ...env });
	const code = await cli.exited;
	const stdout = cli.stdout();
	let json: unknown;
	if (args.includes('--json') && code === 0) json = JSON.parse(stdout);
	return { code, stdout, stderr: cli.stderr(), json };
}

/** The lines of `stderr` that are not JSON log entries (with --store, admin logs its actions there). */
export function plainLines(stderr: string): string[] {
	return stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{"level":'));
}

/** `admin …` that must succeed: its stderr is shown when it does not. */
export async function adminOk(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
	const run = await admin(args, env);
	expect(plainLines(run.stderr)).toEqual([]);
	expect(run.code).toBe(0);
	return run;
}

/** `korichat --serve --headless` on `dataDir`; extra flags after. */
export function serveHeadless(dataDir: string, extra: readonly string[] = []): CliProcess {
	return runCli(
		['--serve', '--headless', '--port', '0', '--rate-limit', '0', '--data', dataDir, ...extra],
		{ KORICHAT_STORE: '', KORICHAT_BUS: '' },
	);
}

export async function stop(cli: CliProcess, signal: NodeJS.Signals = 'SIGTERM') {
	if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
	return cli.exited;
}
