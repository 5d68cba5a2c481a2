import pino, { type DestinationStream } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Logger } from '../domain/logger.js';

export const logFormats = ['json', 'pretty'] as const;
export type LogFormat = (typeof logFormats)[number];

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/** Where log lines go: standard error, a file (appended to), or any stream with a write(). */
export type LogDestination =
	| { readonly kind: 'stderr' }
	| { readonly kind: 'file'; readonly path: string }
	| { readonly kind: 'stream'; readonly stream: DestinationStream; readonly colour?: boolean };

export type LoggerOptions = {
	readonly format?: LogFormat;
	readonly level?: LogLevel;
	readonly destination?: LogDestination;
};

/** A logger that can also be flushed before the process exits. */
export type ServerLogger = Logger & { flush(): void };

/**
 * Keys never logged, whatever a caller passes: the second line of defence (the first is never
 * passing them). Matched at the top level and one level down.
 */
export const redactedKeys = [
	'password',
	'newPassword',
	'cookie',
	'sessionId',
	'session',
	'body',
	'text',
] as const;

const redactPaths = redactedKeys.flatMap((key) => [key, `*.${key}`]);

/**
 * The server's logger: pino, JSON lines by default, pretty for a person at a terminal. Every write
 * is synchronous, so the lines just before an exit (a storage failure, a signal) are not lost.
 */
export function createLogger(options: LoggerOptions = {}): ServerLogger {
	const format = options.format ?? 'json';
	const destination = options.destination ?? { kind: 'stderr' };
	const raw = rawStream(destination);
	const stream = format === 'pretty' ? prettyStream(raw, colourFor(destination)) : raw;
	const logger = pino(
		{
			level: options.level ?? 'info',
			base: { pid: process.pid },
			redact: { paths: redactPaths, censor: '[redacted]' },
		},
		stream,
	);
	return {
		debug: (fields, message) => logger.debug(fields, message),
		info: (fields, message) => logger.info(fields, message),
		warn: (fields, message) => logger.warn(fields, message),
		error: (fields, message) => logger.error(fields, message),
		flush: () => logger.flush(),
	};
}

function rawStream(destination: LogDestination): DestinationStream {
	switch (destination.kind) {
		case 'stderr':
			return pino.destination({ fd: 2, sync: true });
		case 'file':
			return pino.destination({ dest: destination.path, sync: true, append: true, mkdir: true });
		case 'stream':
			return destination.stream;
	}
}

function colourFor(destination: LogDestination): boolean {
	if (destination.kind === 'stderr') return Boolean(process.stderr.isTTY);
	if (destination.kind === 'stream') return destination.colour ?? false;
	return false;
}

/**
 * pino-pretty's formatter run in this thread, line by line: its stream and transport forms pass
 * lines through asynchronous streams (or a worker), which drop the last ones on process.exit.
 */
function prettyStream(target: DestinationStream, colorize: boolean): DestinationStream {
	const format = prettyFactory({ colorize, translateTime: 'SYS:standard', ignore: 'pid,hostname' });
	return { write: (line: string) => target.write(format(line)) };
}
