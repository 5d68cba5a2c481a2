import type { StatusCode } from './status.js';

/**
 * A peer broke the protocol. `status` is the response code owed to it; `fatal` means the byte stream
 * can no longer be framed (or the rules demand it), so the connection closes after the response.
 */
export class ProtocolError extends Error {
	override readonly name = 'ProtocolError';

	constructor(
		readonly status: StatusCode,
		message: string,
		readonly fatal = false,
	) {
		super(message);
	}
}
