import { runCli, type CliProcess } from '../helpers/cli-process.js';

/**
 * What an operator does from a shell, for the black-box acceptance suites: start
 * `korichat --serve --headless` on a folder, run one `korichat admin …` process, scrape HTTP.
 */
export type RunningServer = {
	readonly process: CliProcess;
	readonly port: number;
	readonly metricsUrl: string | undefined;
	/** Everything the server wrote on stderr so far (its JSON log). */
	readonly log: () => string;
	stop(): Promise<number | null>;
	kill(): Promise<number | null>;
};

export async function startServer(
	data: string,
	extra: readonly string[] = [],
	env: NodeJS.ProcessEnv = {},
): Promise<RunningServer> {
	const process = runCli(
		['--serve', '--headless', '--host', '127.0.0.1', '--port', '0', '--data', data, ...extra],
		env,
	);
	const port = await process.listening;
	let metricsUrl: string | undefined;
	if (extra.includes('--metrics')) {
		const deadline = Date.now() + 5000;
		while (!metricsUrl && Date.now() < deadline) {
			metricsUrl = /korichat metrics on (http:\/\/\S+)/.exec(process.stdout())?.[1];
			if (!metricsUrl) await new Promise((resolve) => setTimeout(resolve, 20));
		}
		if (!metricsUrl) throw new Error(`no metrics line on stdout: ${process.stdout()}`);
	}
	return {
		process,
		port,
		metricsUrl,
		log: () => process.stderr(),
		stop: async () => {
			if (process.child.exitCode === null) process.child.kill('SIGTERM');
			return process.exited;
		},
		kill: async () => {
			if (process.child.exitCode === null) process.child.kill('SIGKILL');
			return process.exited;
		},
	};
}

export type Finished = {
	readonly code: number | null;
	readonly stdout: string;
	readonly stderr: string;
};

/** Runs one `korichat admin …` process to its end. */
export async function admin(
	args: readonly string[],
	env: NodeJS.ProcessEnv = {},
): Promise<Finished> {
	const process = runCli(['admin', ...args], env);
	const code = await process.exited;
	return { code, stdout: process.stdout(), stderr: process.stderr() };
}

/** Runs `korichat admin … --json` and parses its standard output. */
export async function adminJson(args: readonly string[]): Promise<any> {
	const result = await admin([...args, '--json']);
	if (result.code !== 0)
		throw new Error(`admin ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
	return JSON.parse(result.stdout);
}

/** One sample of a Prometheus text exposition: the metric with these labels (any order), or 0. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number {
	for (const line of text.split('\n')) {
		const match = /^([a-zA-Z_:][\w:]*)(?:\{([^}]*)\})?\s+(\S+)/.exec(line);
		if (!match || match[1] !== name) continue;
		const found = new Map(
			[...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]),
		);
		if (Object.entries(labels).every(([key, value]) => found.get(key) === value))
			return Number(match[3]);
	}
	return 0;
}
