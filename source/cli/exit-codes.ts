import { ChatNetworkError, ChatRequestError } from '../client/errors.js';

/** What `korichat` exits with: distinct per cause, so scripts can tell them apart. */
export const ExitCode = {
	ok: 0,
	/** The server refused the request (400, 404, 409, 413, 429, 5xx…). */
	refused: 1,
	/** Bad arguments or flags, or no way to read a password. */
	usage: 2,
	/** Not logged in, session expired, wrong password (401), or not allowed (403). */
	auth: 3,
	/** The server could not be reached, or did not answer in time. */
	network: 4,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const exitCodesHelp = `
Exit codes:
  0  done
  1  the server refused the request (unknown user or group, name taken, empty or too long message…)
  2  usage: a bad argument or flag, or no password available (set KORICHAT_PASSWORD, or use a terminal)
  3  authentication: not logged in, session expired, wrong password, or not allowed (401/403)
  4  network: the server is unreachable or did not answer in time (gives up within 10 s)`;

/** A mistake in how korichat was called. */
export class UsageError extends Error {
	override readonly name = 'UsageError';
}

/** No session is stored for the server, so there is nothing to ask with. */
export class NotLoggedInError extends Error {
	override readonly name = 'NotLoggedInError';
}

export function exitCodeFor(error: unknown): ExitCodeValue {
	if (error instanceof UsageError) return ExitCode.usage;
	if (error instanceof NotLoggedInError) return ExitCode.auth;
	if (error instanceof ChatNetworkError) return ExitCode.network;
	if (error instanceof ChatRequestError && (error.status === 401 || error.status === 403)) {
		return ExitCode.auth;
	}
	return ExitCode.refused;
}
