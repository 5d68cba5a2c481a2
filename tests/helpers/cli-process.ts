import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const cliPath = path.resolve('dist/cli.js');

export type CliProcess = {
	readonly child: ChildProcess;
	readonly stdout: () => string;
	readonly stderr: () => string;
	readonly exited: Promise<number | null>;
	/** Resolves with the port once `korichat listening on HOST:PORT` is printed. */
	readonly listening: Promise<number>;
};

/**
 * Runs the built CLI (dist/, built by the global setup) as a child process. Its standard input is
 * empty and not a terminal, or `options.input` when given.
 */
export function runCli(
	args: readonly string[],
	env: NodeJS.ProcessEnv = {},
	options: { input?: string | Buffer } = {},
): CliProcess {
	const child = spawn(process.execPath, [cliPath, ...args], {
		env: { ...process.env, ...env },
		stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
	});
	if (options.input !== undefined) child.stdin!.end(options.input);
	let out = '';
	let err = '';
	child.stderr!.on('data', (chunk) => (err += chunk));
	const listening = new Promise<number>((resolve, reject) => {
		child.stdout!.on('data', (chunk) => {
			out += chunk;
			const match = /korichat listening on [^\s]+:(\d+)/.exec(out);
			if (match) resolve(Number(match[1]));
		});
		child.on('exit', () => reject(new Error(`exited before listening: ${err}`)));
	});
	listening.catch(() => undefined);
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, stdout: () => out, stderr: () => err, exited, listening };
}
