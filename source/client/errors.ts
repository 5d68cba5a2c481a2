/** Anything a ChatClient call rejects with. */
export class ChatError extends Error {
	override readonly name: string = 'ChatError';
}

/** The server answered, and refused: `status` is its code, `message` its words, meant for people. */
export class ChatRequestError extends ChatError {
	override readonly name = 'ChatRequestError';

	constructor(
		readonly status: number,
		message: string,
		/** The request, e.g. `SEND josie`, for logs. */
		readonly request: string,
		/** Seconds to wait before retrying, from a 429's Retry-After. */
		readonly retryAfter?: number,
	) {
		super(message);
	}
}

export const networkFailures = ['unreachable', 'timeout', 'closed', 'offline'] as const;
export type NetworkFailure = (typeof networkFailures)[number];

/**
 * No answer could be had: `unreachable` (connect failed), `timeout` (no response in time),
 * `closed` (the connection dropped with the request in flight: it may or may not have been done),
 * `offline` (still not reconnected when the request's wait ran out, or the client was closed).
 */
export class ChatNetworkError extends ChatError {
	override readonly name = 'ChatNetworkError';

	constructor(
		readonly kind: NetworkFailure,
		message: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
	}
}

/** The server sent something this client cannot read (a bug on one side or the other). */
export class ChatProtocolError extends ChatError {
	override readonly name = 'ChatProtocolError';
}
