import { badRequest } from './errors.js';

/** How long a Send-Id is remembered (PROTOCOL.md §7.8). */
export const sendIdLifetimeMs = 24 * 60 * 60 * 1000;

const sendIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** A SEND's `Send-Id` header: undefined when absent, else a valid token or a 400. */
export function parseSendId(header: string | undefined): string | undefined {
	if (header === undefined) return undefined;
	if (!sendIdPattern.test(header)) {
		throw badRequest('Send-Id must be 1–64 characters of A-Z a-z 0-9 _ -');
	}
	return header;
}
