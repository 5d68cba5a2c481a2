import { isUtf8 } from 'node:buffer';
import { ProtocolError } from './errors.js';
import { Status } from './status.js';
import { headerNamePattern, quote } from './syntax.js';

/** A complete head, and the non-fatal error to report once its body has been skipped. */
export type ParsedHead = {
	readonly startLine: string;
	readonly headers: Map<string, string>;
	readonly bodyLength: number;
	readonly error: ProtocolError | undefined;
};

const decimal = /^[0-9]+$/;
// A malformed line that still names Content-Length makes the body's length unknowable.
const namesContentLength = /^[ \t]*content-length(?![-\w])/i;
// A CR is allowed only just before LF; a NUL never.
const strayControl = /\r(?!\n)|\0/;
/** Trims the optional white space HTTP allows around a header value (spaces and tabs). */
function trimBlanks(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && (text[start] === ' ' || text[start] === '\t')) start++;
	while (end > start && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
	return text.slice(start, end);
}

function withoutCarriageReturn(line: string): string {
	return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function badRequest(message: string, fatal = false): ProtocolError {
	return new ProtocolError(Status.badRequest, message, fatal);
}

/**
 * Parses the bytes of a head, from its start line through its closing blank line.
 * Returns a fatal ProtocolError when the body's length cannot be trusted.
 */
export function parseHead(bytes: Buffer, maxBodyBytes: number): ParsedHead | ProtocolError {
	const text = bytes.toString('utf8');
	// Bad bytes decode to U+FFFD, so only then is the exact (slower) check needed.
	let error =
		text.includes('\uFFFD') && !isUtf8(bytes)
			? badRequest('the header section is not valid UTF-8')
			: undefined;
	if (error === undefined && strayControl.test(text)) {
		error = badRequest('the header section has a carriage return or NUL byte inside a line');
	}
	// LF never occurs inside a UTF-8 sequence, so splitting the decoded text finds the same lines.
	const lines = text.split('\n');
	// The last two pieces are the closing blank line and the empty text after its LF.
	const lineCount = lines.length - 2;
	const startLine = withoutCarriageReturn(lines[0] ?? '');
	const headers = new Map<string, string>();
	for (let index = 1; index < lineCount; index++) {
		const line = withoutCarriageReturn(lines[index] ?? '');
		const colon = line.indexOf(':');
		const name = colon === -1 ? '' : line.slice(0, colon);
		if (!headerNamePattern.test(name)) {
			if (namesContentLength.test(line)) {
				return badRequest(
					`malformed Content-Length header ${quote(line)}; the frame boundary is lost`,
					true,
				);
			}
			error ??= badRequest(
				colon === -1
					? `header line ${quote(line)} has no colon; write headers as "Name: value"`
					: `header name ${quote(name)} is invalid; use letters, digits and - _ . only`,
			);
			continue;
		}
		const key = name.toLowerCase();
		const value = trimBlanks(line.slice(colon + 1));
		const previous = headers.get(key);
		if (previous === undefined) {
			headers.set(key, value);
		} else if (key === 'content-length') {
			if (previous !== value) {
				return badRequest(
					`conflicting Content-Length headers ${quote(previous)} and ${quote(value)}; the frame boundary is lost`,
					true,
				);
			}
		} else {
			// HTTP's rule for a repeated field: one value, comma-separated.
			headers.set(key, `${previous}, ${value}`);
		}
	}
	const length = headers.get('content-length');
	if (length !== undefined && !decimal.test(length)) {
		return badRequest(
			`Content-Length ${quote(length)} is not a whole number of bytes; the frame boundary is lost`,
			true,
		);
	}
	const bodyLength = length === undefined ? 0 : Number(length);
	if (bodyLength > maxBodyBytes) {
		const digits = (length ?? '').replace(/^0+/, '');
		const size = digits.length > 20 ? 'more than 10^20' : digits;
		return new ProtocolError(
			Status.payloadTooLarge,
			`body of ${size} bytes exceeds the limit of ${maxBodyBytes} bytes`,
			true,
		);
	}
	return { startLine, headers, bodyLength, error };
}
