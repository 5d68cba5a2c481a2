import type { Logger } from '../domain/logger.js';

/**
 * A Logger over the server's plain `log(line)` option, until every part logs structured lines:
 * the message is written, the fields are not; debug lines are dropped.
 */
export function loggerOverLines(log: (line: string) => void): Logger {
	return {
		debug: () => undefined,
		info: (_fields, message) => log(message),
		warn: (_fields, message) => log(message),
		error: (_fields, message) => log(message),
	};
}
