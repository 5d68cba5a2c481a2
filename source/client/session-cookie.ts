import type { Response } from '../protocol/frame.js';

export const cookieHeader = (sessionId: string) => `SESSIONID=${sessionId}`;

type SetCookie = { readonly sessionId: string; readonly expired: boolean };

/** Reads `Set-Cookie: SESSIONID=<id>[; Max-Age=<s>]`; undefined when the response sets none. */
export function readSetCookie(response: Response): SetCookie | undefined {
	const header = response.headers.get('set-cookie');
	if (header === undefined) return undefined;
	const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
	const equals = pair.indexOf('=');
	if (equals === -1 || pair.slice(0, equals).trim().toUpperCase() !== 'SESSIONID') return undefined;
	const sessionId = pair.slice(equals + 1).trim();
	const maxAge = attributes
		.map((attribute) => /^max-age\s*=\s*(-?\d+)$/i.exec(attribute)?.[1])
		.find((value) => value !== undefined);
	return { sessionId, expired: sessionId === '' || (maxAge !== undefined && Number(maxAge) <= 0) };
}
