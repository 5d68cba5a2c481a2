import { isUtf8 } from 'node:buffer';
import { ProtocolError } from './errors.js';
import { Status } from './status.js';
import { quote, tokenByte } from './syntax.js';

/** A complete head, and the non-fatal error to report once its body has been skipped. */
export type ParsedHead = {
	readonly startLine: string;
	readonly headers: Map<string, string>;
	readonly bodyLength: number;
	readonly error: ProtocolError | undefined;
};

const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const colon = 0x3a;

function isBlank(byte: number): boolean {
	return byte === 0x20 || byte === 0x09;
}

const decimal = /^[0-9]+$/;
// A malformed line that still names Content-Length makes the body's length unknowable.
const namesContentLength = /^[ \t]*content-length(?![-\w])/i;

function badRequest(message: string, fatal = false): ProtocolError {
	return new ProtocolError(Status.badRequest, message, fatal);
}

/** Header names most requests carry, found without decoding and lower-casing their bytes. */
const commonNames = ['content-length', 'request-id', 'cookie', 'content-type', 'password'];

/** `bytes[start, end)` (token characters) lower-cased, as a string. */
function headerName(bytes: Buffer, start: number, end: number): string {
	const length = end - start;
	for (const name of commonNames) {
		if (name.length !== length) continue;
		let index = 0;
		// Setting 0x20 lower-cases a letter and keeps a digit or '-': among token bytes only
		// the letter itself, in either case, matches a letter of the name.
		while (index < length && (bytes[start + index]! | 0x20) === name.charCodeAt(index)) index++;
		if (index === length) return name;
	}
	return bytes.toString('latin1', start, end).toLowerCase();
}

/**
 * Parses the bytes of a head, `bytes[start, end)`: its start line through its closing blank line.
 * Returns a fatal ProtocolError when the body's length cannot be trusted.
 *
 * One pass finds the lines and checks every byte. Each string is decoded from its own bytes rather
 * than sliced from a decoded whole, so a value kept for long (a session id) does not keep the whole
 * head alive. Lines, names and values end at ASCII bytes, which never occur inside a UTF-8
 * sequence, so decoding piece by piece gives what decoding the whole would.
 */
export function parseHead(
	bytes: Buffer,
	maxBodyBytes: number,
	start = 0,
	end = bytes.length,
): ParsedHead | ProtocolError {
	// The LF that ends the closing blank line; every line before it but the first is a header.
	const last = end - 1;
	let nonAscii = false;
	// A CR is allowed only just before LF; a NUL never.
	let strayControl = false;
	let syntaxError: ProtocolError | undefined;
	let startLine: string | undefined;
	const headers = new Map<string, string>();
	for (let lineStart = start; ;) {
		let newline = lineStart;
		let asciiLine = true;
		for (; newline < last; newline++) {
			const byte = bytes[newline]!;
			if (byte === lineFeed) break;
			if (byte >= 0x80) asciiLine = false;
			else if (byte === 0 || (byte === carriageReturn && bytes[newline + 1] !== lineFeed)) {
				strayControl = true;
			}
		}
		if (!asciiLine) nonAscii = true;
		const encoding: BufferEncoding = asciiLine ? 'latin1' : 'utf8';
		const lineEnd =
			newline > lineStart && bytes[newline - 1] === carriageReturn ? newline - 1 : newline;
		if (startLine === undefined) {
			startLine = bytes.toString(encoding, lineStart, lineEnd);
		} else if (newline >= last) {
			break;
		} else {
			let nameEnd = lineStart;
			while (nameEnd < lineEnd && tokenByte[bytes[nameEnd]!] === 1) nameEnd++;
			if (nameEnd === lineStart || nameEnd === lineEnd || bytes[nameEnd] !== colon) {
				const line = bytes.toString(encoding, lineStart, lineEnd);
				if (namesContentLength.test(line)) {
					return badRequest(
						`malformed Content-Length header ${quote(line)}; the frame boundary is lost`,
						true,
					);
				}
				const at = line.indexOf(':');
				syntaxError ??= badRequest(
					at === -1
						? `header line ${quote(line)} has no colon; write headers as "Name: value"`
						: `header name ${quote(line.slice(0, at))} is invalid; use letters, digits and - _ . only`,
				);
			} else {
				// Trims the optional white space HTTP allows around a value (spaces and tabs).
				let valueStart = nameEnd + 1;
				let valueEnd = lineEnd;
				while (valueStart < valueEnd && isBlank(bytes[valueStart]!)) valueStart++;
				while (valueEnd > valueStart && isBlank(bytes[valueEnd - 1]!)) valueEnd--;
				const key = headerName(bytes, lineStart, nameEnd);
				const value = valueStart === valueEnd ? '' : bytes.toString(encoding, valueStart, valueEnd);
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
		}
		lineStart = newline + 1;
	}
	let error = syntaxError;
	if (nonAscii && !isUtf8(bytes.subarray(start, end))) {
		error = badRequest('the header section is not valid UTF-8');
	} else if (strayControl) {
		error = badRequest('the header section has a carriage return or NUL byte inside a line');
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
	return { startLine: startLine ?? '', headers, bodyLength, error };
}
