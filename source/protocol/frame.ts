import type { StatusCode } from './status.js';

export const protocolVersion = 'CHAT/1.0';
export const defaultPort = 5674;

/** Header names are case-insensitive: keys are stored lower-cased, values trimmed. */
export type Headers = ReadonlyMap<string, string>;

/** A frame as it came off the wire: start line, headers, body (PROTOCOL.md §1). */
export type RawFrame = {
	readonly startLine: string;
	readonly headers: Headers;
	readonly body: Buffer;
};

/** A client request: `VERB [target] CHAT/1.0`. The verb is upper-cased; target may be absent. */
export type Request = {
	readonly verb: string;
	readonly target: string | undefined;
	readonly headers: Headers;
	readonly body: Buffer;
};

/** A server response: `CHAT/1.0 <code> <reason>`. */
export type Response = {
	readonly status: number;
	readonly reason: string;
	readonly headers: Headers;
	readonly body: Buffer;
};

/** A server push: `MSG <to> CHAT/1.0` or `NOTIFY <kind> CHAT/1.0`. */
export type Push = {
	readonly kind: 'MSG' | 'NOTIFY';
	readonly target: string;
	readonly headers: Headers;
	readonly body: Buffer;
};

/** Headers to write, in order. Names are written as given. */
export type OutgoingHeaders = ReadonlyArray<readonly [name: string, value: string]>;

export type OutgoingResponse = {
	readonly status: StatusCode;
	readonly headers?: OutgoingHeaders;
	readonly body?: Buffer | string;
};
