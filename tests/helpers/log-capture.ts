import type { LogLevel } from '../../source/operating/logging.js';
import { createLogger } from '../../source/operating/logging.js';

/** One JSON line of the server's log, parsed. */
export type LogEntry = {
	readonly level: number;
	readonly time: number;
	readonly msg: string;
	readonly event?: string;
	readonly [field: string]: unknown;
};

/** A real pino logger (JSON lines) writing into memory: what a test reads back. */
export function captureLog(level: LogLevel = 'debug') {
	const entries: LogEntry[] = [];
	const messages: string[] = [];
	let text = '';
	const log = createLogger({
		format: 'json',
		level,
		destination: {
			kind: 'stream',
			stream: {
				write(line: string) {
					text += line;
					const entry = JSON.parse(line) as LogEntry;
					entries.push(entry);
					messages.push(entry.msg);
				},
			},
		},
	});
	return {
		log,
		entries,
		/** Everything written, exactly as it would reach the file. */
		text: () => text,
		/** The human message of every entry, in order. */
		messages,
		events: (event: string) => entries.filter((entry) => entry.event === event),
		clear() {
			entries.length = 0;
			messages.length = 0;
			text = '';
		},
	};
}

/** The JSON log entries among a process's standard error lines. */
export function logEntriesIn(output: string): LogEntry[] {
	return output
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as LogEntry);
}

/** The lines of a process's standard error that are not log entries: what a person is told. */
export function plainLines(output: string): string[] {
	return output.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
}
