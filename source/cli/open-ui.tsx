import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { ChatClient } from '../client/chat-client.js';
import { CookieStore, configDir } from '../client/cookie-store.js';
import { defaultServer, parseServerAddress, ServerAddressError } from '../client/server-address.js';
import type { RunningServer } from '../server/chat-server.js';
import { createLogger, type ServerLogger } from '../operating/logging.js';
import { hostWithMetrics } from './metrics-flag.js';
import { serverVariable } from './client-runner.js';
import { ExitCode } from './exit-codes.js';
import { enterFullScreen } from './full-screen.js';
import { serverOptions, serve, type ServeFlags } from './serve.js';

/** The flags of a bare `korichat` (and of `korichat --serve`). */
export type UiFlags = ServeFlags & {
	readonly serve?: boolean;
	readonly headless?: boolean;
	readonly server?: string;
	readonly config?: string;
	readonly ca?: string;
	readonly bell: boolean;
};

const isTerminal = () => Boolean(process.stdout.isTTY && process.stdin.isTTY);

/** `korichat`: the chat UI; `korichat --serve`: the server, with the UI on it when run in a terminal. */
export async function runDefault(flags: UiFlags): Promise<void> {
	if (flags.serve && (flags.headless || !isTerminal())) return serve(flags);
	if (!isTerminal()) {
		process.stderr.write(
			'korichat: the chat UI needs a terminal; for scripts see `korichat --help`\n',
		);
		process.exit(ExitCode.usage);
	}
	if (!flags.serve) {
		return openUi(flags, flags.server ?? process.env[serverVariable] ?? defaultServer);
	}
	const failure = new AbortController();
	const { server, log } = await quickHost(flags, (error) => failure.abort(error));
	const target = `${server.tls ? 'tls://' : ''}${connectHost(server.host)}:${server.port}`;
	// A self-signed certificate given with --tls-cert is the one to trust.
	return openUi({ ...flags, ca: flags.ca ?? flags.tlsCert }, target, {
		server,
		log,
		failure: failure.signal,
	});
}

/** Where to reach a server listening on `host` from this machine. */
function connectHost(host: string): string {
	if (host === '0.0.0.0') return '127.0.0.1';
	if (host === '::') return '[::1]';
	return host.includes(':') ? `[${host}]` : host;
}

/** Boots the server in this process; its log goes to a file, since the screen belongs to the UI. */
async function quickHost(
	flags: UiFlags,
	onStorageFailure: (error: Error) => void,
): Promise<{ server: RunningServer; log: ServerLogger }> {
	const options = serverOptions(flags);
	await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
	const log = createLogger({
		format: flags.logFormat ?? 'json',
		level: flags.logLevel ?? 'info',
		destination: { kind: 'file', path: path.join(options.dataDir, 'server.log') },
	});
	const { server, metricsUrl } = await hostWithMetrics(
		{ ...options, log, onStorageFailure },
		flags.metrics,
	);
	if (metricsUrl) log.info({ event: 'metrics', url: metricsUrl }, `metrics on ${metricsUrl}`);
	return { server, log };
}

type Hosting = {
	readonly server: RunningServer;
	readonly log: ServerLogger;
	readonly failure: AbortSignal;
};

/**
 * Runs the full-screen UI until it is quit, then restores the terminal and exits 0; with a hosted
 * server whose storage failed, it stops at once and exits 1 so a supervisor restarts it.
 */
async function openUi(flags: UiFlags, serverText: string, hosting?: Hosting): Promise<void> {
	let address;
	try {
		address = parseServerAddress(serverText);
	} catch (error) {
		if (!(error instanceof ServerAddressError)) throw error;
		process.stderr.write(`korichat: ${error.message}\n`);
		process.exit(ExitCode.usage);
	}
	const client = new ChatClient({
		server: address,
		sessions: new CookieStore(configDir(flags.config)),
		caFile: flags.ca,
		// Someone is looking: never wait more than a few seconds between attempts.
		backoff: { maxDelayMs: 4000 },
	});
	// Loaded here, not at start-up, so the scripting commands do not pay for Ink and React.
	const [
		{ render },
		{ App },
		{ titleSequence },
		{ ConfViewStore },
		{ ScreenWriter },
		{ captureConsole },
		{ shareInkOutputCaches },
	] = await Promise.all([
		import('ink'),
		import('../ui/components/App.js'),
		import('../ui/hooks/use-terminal-title.js'),
		import('../ui/storage/view-store.js'),
		import('../ui/terminal/screen-writer.js'),
		import('../ui/terminal/console-capture.js'),
		import('../ui/terminal/ink-output-caches.js'),
	]);
	// Before the first frame: lines drawn again (paging, typing) are not tokenized again.
	await shareInkOutputCaches();
	const screen = enterFullScreen();
	// Ink renders whole frames (debug mode) into the writer, which writes only what changed.
	const writer = new ScreenWriter(process.stdout);
	const releaseConsole = captureConsole((text) => writer.interject(text));
	const instance = render(
		<App
			client={client}
			bell={flags.bell}
			ring={() => process.stdout.write('\u0007')}
			setTitle={(title) => process.stdout.write(titleSequence(title))}
			views={new ConfViewStore(configDir(flags.config))}
		/>,
		// debug: Ink writes each render whole and at once; the writer draws at most one frame per
		// 16 ms, the first at once, so a key typed at a human pace never waits. Ink's patchConsole
		// is off in debug mode: captureConsole stands in for it.
		{
			stdout: writer as unknown as NodeJS.WriteStream,
			stdin: process.stdin,
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	// Ctrl+C is a key in raw mode; these come from elsewhere (kill, a closed terminal window).
	const stop = () => instance.unmount();
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
	hosting?.failure.addEventListener('abort', stop);
	try {
		await instance.waitUntilExit();
	} finally {
		writer.close();
		releaseConsole();
		screen.restore();
		await client.close();
		if (hosting) {
			const { server, log, failure } = hosting;
			const reason = failure.aborted ? 'storage-failure' : 'quit';
			log.info({ event: 'stop', reason }, `stopping: ${reason}`);
			await server.close().then(
				() => log.info({ event: 'stopped' }, 'korichat stopped'),
				(error: unknown) =>
					log.error({ event: 'stop-failed', reason: String(error) }, 'stopping did not finish'),
			);
			log.flush();
			const why = failure.aborted
				? ` after a storage failure (see server.log): ${String(failure.reason)}`
				: '';
			process.stdout.write(
				`korichat: the server on ${server.host}:${server.port} has stopped${why}\n`,
			);
		}
	}
	process.exit(hosting?.failure.aborted ? 1 : ExitCode.ok);
}
