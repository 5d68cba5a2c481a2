import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets (session ids) in time that does not depend on where they differ: both are
 * hashed first, so neither their contents nor their lengths change the comparison's duration.
 */
export function sameSecret(a: string, b: string): boolean {
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(a), digest(b));
}

/**
 * What stores and buses keep of a session id: a stolen database file or a message on the bus
 * must not hand out live sessions.
 */
export function hashSessionId(id: string): string {
	return createHash('sha256').update(id).digest('base64url');
}
