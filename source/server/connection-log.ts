import type { Logger } from '../domain/logger.js';
import type { ProtocolError } from '../protocol/errors.js';
import { Status } from '../protocol/status.js';

/** Why the server closed or dropped a connection, as logged. */
export type DropReason =
	| 'output-stall'
	| 'output-overflow'
	| 'frame-timeout'
	| 'oversized-frame'
	| 'bad-frame'
	| 'malformed-frames';

/** Whom a connection's log lines name: its address and its user, never its session. */
export interface LoggedPeer {
	readonly address: string;
	readonly user: string | undefined;
}

// A connection the server closes is told so after its responses; one it drops is cut at once.
const closingWords = {
	closed: { event: 'connection-closed', what: 'closing a connection' },
	dropped: { event: 'connection-dropped', what: 'dropping a connection' },
} as const;

/** One line naming the address and the user; the noisy log rate-limits it per reason. */
export function logClosing(
	log: Logger,
	peer: LoggedPeer,
	how: keyof typeof closingWords,
	reason: DropReason,
	why: string,
): void {
	const { event, what } = closingWords[how];
	const { address, user } = peer;
	const who = user ? ` of ${user}` : '';
	log.warn(
		{ event, reason, address, ...(user ? { user } : {}) },
		`${what}${who} from ${address}: ${why}`,
	);
}

/** Logged once per connection, when it first runs past its rate limit. */
export function logRateLimited(log: Logger, peer: LoggedPeer, rateLimit: number): void {
	const { address, user } = peer;
	log.warn(
		{ event: 'rate-limited', address, ...(user ? { user } : {}), rate: rateLimit },
		`a connection${user ? ` of ${user}` : ''} from ${address} runs past ${rateLimit} requests a second; reading it slower`,
	);
}

/** What the log calls a protocol error that ends a connection. */
export function closingReason(error: ProtocolError): DropReason {
	if (error.status === Status.requestTimeout) return 'frame-timeout';
	if (error.status === Status.payloadTooLarge || error.status === Status.headerFieldsTooLarge) {
		return 'oversized-frame';
	}
	return 'bad-frame';
}
