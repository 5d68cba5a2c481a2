export const failureKinds = [
	'bad-request',
	'unauthorized',
	'forbidden',
	'not-found',
	'conflict',
	'too-many-requests',
] as const;
export type FailureKind = (typeof failureKinds)[number];

/** A request the domain refuses, with a message a person can act on. */
export class DomainError extends Error {
	override readonly name = 'DomainError';

	constructor(
		readonly kind: FailureKind,
		message: string,
		/** Seconds to wait, for `too-many-requests`. */
		readonly retryAfter?: number,
	) {
		super(message);
	}
}

export const badRequest = (message: string) => new DomainError('bad-request', message);
export const unauthorized = (message: string) => new DomainError('unauthorized', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (message: string) => new DomainError('not-found', message);
export const conflict = (message: string) => new DomainError('conflict', message);
