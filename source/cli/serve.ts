import { readFileSync } from 'node:fs';
import envPaths from 'env-paths';
import { reasonOf } from '../domain/error-reason.js';
import type { HostOptions } from './host-server.js';
import { hostWithMetrics } from './metrics-flag.js';
import type { TlsCredentials } from '../server/options.js';
import { createLogger, type LogFormat, type LogLevel } from '../operating/logging.js';

export type ServeFlags = {
	readonly host: string;
	readonly port: number;
	readonly data?: string;
	/** `postgres://…` (or KORICHAT_STORE): a cluster's shared database. */
	readonly store?: string;
	/** `redis://…` (or KORICHAT_BUS): the bus between a cluster's nodes. */
	readonly bus?: string;
	readonly rateLimit: number;
	readonly maxBody: number;
	readonly frameTimeout: number;
	readonly maxConnectionsPerIp?: number;
	readonly limitLoopback?: boolean;
	readonly outputTimeout?: number;
	readonly tlsCert?: string;
	readonly tlsKey?: string;
	/** json (the default) or pretty. */
	readonly logFormat?: LogFormat;
	readonly logLevel?: LogLevel;
	/** HOST:PORT for Prometheus's /metrics and the /healthz check; off when undefined. */
	readonly metrics?: string;
	/** sql.js: journal bytes between snapshots; the store's default (64 MiB) when undefined. */
	readonly snapshotAfter?: number;
};

export const defaultDataDir = () => envPaths('korichat', { suffix: '' }).data;

/** The server options the `--serve` flags ask for (also used by the quick-host UI mode). */
export function serverOptions(flags: ServeFlags): HostOptions {
	return {
		host: flags.host,
		port: flags.port,
		dataDir: flags.data ?? defaultDataDir(),
		...optional('storeUrl', flags.store ?? nonEmpty(process.env.KORICHAT_STORE)),
		...optional('busUrl', flags.bus ?? nonEmpty(process.env.KORICHAT_BUS)),
		rateLimit: flags.rateLimit,
		maxBodyBytes: flags.maxBody,
		frameTimeoutMs: flags.frameTimeout * 1000,
		limitLoopback: flags.limitLoopback ?? false,
		...(flags.snapshotAfter === undefined ? {} : { snapshotAfterBytes: flags.snapshotAfter }),
		...(flags.maxConnectionsPerIp === undefined
			? {}
			: { maxConnectionsPerIp: flags.maxConnectionsPerIp }),
		...(flags.outputTimeout === undefined
			? {}
			: { outputStallTimeoutMs: flags.outputTimeout * 1000 }),
		...(flags.tlsCert === undefined && flags.tlsKey === undefined
			? {}
			: { tls: tlsCredentials(flags) }),
	};
}

const nonEmpty = (value: string | undefined) => (value === '' ? undefined : value);

function optional<K extends string>(key: K, value: string | undefined) {
	return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
}

/** Reads --tls-cert and --tls-key (both or neither); an unreadable file is one clear error. */
function tlsCredentials(flags: ServeFlags): TlsCredentials {
	if (flags.tlsCert === undefined || flags.tlsKey === undefined) {
		throw new Error('--tls-cert and --tls-key go together: give both PEM files, or neither');
	}
	const read = (file: string, what: string) => {
		try {
			return readFileSync(file);
		} catch (error) {
			const reason = (error as NodeJS.ErrnoException).code ?? String(error);
			throw new Error(`cannot read the TLS ${what} ${file} (${reason})`);
		}
	};
	return { cert: read(flags.tlsCert, 'certificate'), key: read(flags.tlsKey, 'key') };
}

/** `korichat --serve`: runs until SIGINT/SIGTERM, then shuts down cleanly and exits 0. */
export async function serve(flags: ServeFlags): Promise<void> {
	const log = createLogger({ format: flags.logFormat ?? 'json', level: flags.logLevel ?? 'info' });
	// On a storage failure the server has logged it; exit non-zero so a supervisor restarts it,
	// and the restart recovers exactly what is on disk.
	const onStorageFailure = () => stop({ reason: 'storage-failure' }, 1);
	const { server, metricsUrl } = await hostWithMetrics(
		{ ...serverOptions(flags), log, onStorageFailure },
		flags.metrics,
	);
	const scheme = server.tls ? 'tls://' : '';
	// Tests and scripts read this line on stdout, whatever the logs do.
	process.stdout.write(`korichat listening on ${scheme}${server.host}:${server.port}\n`);
	if (metricsUrl) process.stdout.write(`korichat metrics on ${metricsUrl}\n`);
	let stopping = false;
	const stop = (cause: StopCause, exitCode = 0) => {
		if (stopping) return;
		stopping = true;
		log.info({ event: 'stop', ...cause }, stopMessage(cause));
		const exit = (code: number) => {
			log.flush();
			process.exit(code);
		};
		server.close().then(
			() => {
				log.info({ event: 'stopped', exitCode }, 'korichat stopped');
				exit(exitCode);
			},
			(error: unknown) => {
				const advice = shutdownFailure(error, flags.data ?? defaultDataDir());
				log.error({ event: 'stop-failed', reason: reasonOf(error) }, advice);
				if (exitCode === 0) process.stderr.write(`korichat: ${advice}\n`);
				exit(1);
			},
		);
	};
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, () => stop({ reason: 'signal', signal }));
	}
}

type StopCause =
	| { readonly reason: 'signal'; readonly signal: NodeJS.Signals }
	| { readonly reason: 'storage-failure' };

function stopMessage(cause: StopCause): string {
	return cause.reason === 'signal'
		? `stopping on ${cause.signal}`
		: 'stopping after a storage failure';
}

/** What a person should know and do when the final snapshot cannot be written. */
export function shutdownFailure(error: unknown, dataDir: string): string {
	const text =
		error instanceof Error
			? `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`
			: String(error);
	const kept = `every acknowledged change is in the journal in ${dataDir}, and the next start recovers it`;
	if (/ENOSPC|EDQUOT/.test(text)) {
		return `the disk holding ${dataDir} is full, so the final snapshot was not written; ${kept}. Free some space there before starting again.`;
	}
	return `shutting down did not finish (${reasonOf(error)}); ${kept}. Check that ${dataDir} is writable before starting again.`;
}
