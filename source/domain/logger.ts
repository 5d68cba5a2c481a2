/** Structured fields of one log line: names and numbers, never a password, session id or message body. */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where the server writes what it does. The shape of pino's logger (a pino logger is one), so the
 * domain and the server log without knowing which library or format stands behind it.
 */
export interface Logger {
	debug(fields: LogFields, message: string): void;
	info(fields: LogFields, message: string): void;
	warn(fields: LogFields, message: string): void;
	error(fields: LogFields, message: string): void;
}

/** Writes nothing: for tests and tools that have nowhere to log. */
export const silentLogger: Logger = {
	debug: () => undefined,
	info: () => undefined,
	warn: () => undefined,
	error: () => undefined,
};
