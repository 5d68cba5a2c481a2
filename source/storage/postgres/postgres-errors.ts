import { StorageUnavailableError } from '../../domain/storage-errors.js';

// Node socket errors and postgres.js's own connection errors.
const connectionCodes = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ECONNABORTED',
	'EPIPE',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ENOTFOUND',
	'EAI_AGAIN',
	'CONNECTION_CLOSED',
	'CONNECTION_ENDED',
	'CONNECTION_DESTROYED',
	'CONNECT_TIMEOUT',
]);
// SQLSTATEs of a server going away or refusing connections for now.
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08003', '08006']);

type CodedError = Error & { code?: unknown; address?: unknown; port?: unknown };

/** True when the error says the database cannot be reached, not that a statement was wrong. */
export function isConnectionFailure(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	const code = (error as CodedError).code;
	return typeof code === 'string' && (connectionCodes.has(code) || unavailableStates.has(code));
}

/** A connection failure as StorageUnavailableError; anything else unchanged. */
export function toStorageError(error: unknown): unknown {
	if (error instanceof StorageUnavailableError || !isConnectionFailure(error)) return error;
	const { code, message } = error as CodedError;
	// A commit cut off in flight may have landed: retries are safe only through Send-Id and the like.
	return new StorageUnavailableError(`PostgreSQL connection failed: ${String(code)} (${message})`, {
		cause: error,
	});
}
