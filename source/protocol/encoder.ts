import { type OutgoingHeaders, type OutgoingResponse, protocolVersion } from './frame.js';
import { type StatusCode, reasonPhrase } from './status.js';
import { tokenByte, verbPattern } from './syntax.js';

const noHeaders: OutgoingHeaders = [];

// These checks run on every header of every frame written, so they are loops, not regexes.

function isToken(text: string): boolean {
	if (text.length === 0) return false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code > 0xff || tokenByte[code] !== 1) return false;
	}
	return true;
}

function hasLineBreakOrNul(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === 0x0a || code === 0x0d || code === 0) return true;
	}
	return false;
}

/** One word with no white space, CR, LF or NUL. */
function isTargetToken(text: string): boolean {
	if (text.length === 0) return false;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0) {
			return false;
		}
	}
	return true;
}

function checkHeader(name: string, value: string): void {
	if (!isToken(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
	if (hasLineBreakOrNul(value)) {
		throw new TypeError(`header ${name} has a CR, LF or NUL in its value`);
	}
	if (name.length === 14 && name.toLowerCase() === 'content-length') {
		throw new TypeError('Content-Length is set by the encoder; do not pass it');
	}
}

/** Writes one frame into a single Buffer: start line, headers, Content-Length if a body, CRLFs. */
export function encodeFrame(
	startLine: string,
	headers: OutgoingHeaders,
	body: Buffer | string = '',
): Buffer {
	if (hasLineBreakOrNul(startLine)) {
		throw new TypeError(`start line ${JSON.stringify(startLine)} has a CR, LF or NUL`);
	}
	let head = startLine + '\r\n';
	for (let index = 0; index < headers.length; index++) {
		const header = headers[index]!;
		const name = header[0];
		const value = header[1];
		checkHeader(name, value);
		head += name + ': ' + value + '\r\n';
	}
	const bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
	if (bodyLength === 0) return Buffer.from(head + '\r\n');
	head += 'Content-Length: ' + bodyLength + '\r\n\r\n';
	// A text body goes in with the head: one string, one write.
	if (typeof body === 'string') return Buffer.from(head + body);
	const headLength = Buffer.byteLength(head);
	const frame = Buffer.allocUnsafe(headLength + bodyLength);
	frame.write(head, 0);
	body.copy(frame, headLength);
	return frame;
}

const statusLines = new Map<number, string>(
	Object.entries(reasonPhrase).map(([status, reason]) => [
		Number(status),
		`${protocolVersion} ${status} ${reason}`,
	]),
);

/** `CHAT/1.0 <code> <reason>` and the response's headers and body. */
export function encodeResponse(response: OutgoingResponse): Buffer {
	const startLine =
		statusLines.get(response.status) ??
		`${protocolVersion} ${response.status} ${reasonPhrase[response.status]}`;
	return encodeFrame(startLine, response.headers ?? noHeaders, response.body);
}

function checkTarget(target: string): void {
	if (!isTargetToken(target)) {
		throw new TypeError(`target ${JSON.stringify(target)} must be one word with no white space`);
	}
}

/** `VERB [target] CHAT/1.0`, as a client writes it. */
export function encodeRequest(
	verb: string,
	target: string | undefined,
	headers: OutgoingHeaders,
	body?: Buffer | string,
): Buffer {
	if (!verbPattern.test(verb))
		throw new TypeError(`verb ${JSON.stringify(verb)} must be letters and underscores`);
	if (target === undefined) return encodeFrame(`${verb} ${protocolVersion}`, headers, body);
	checkTarget(target);
	return encodeFrame(`${verb} ${target} ${protocolVersion}`, headers, body);
}

/** `MSG <to> CHAT/1.0` or `NOTIFY <kind> CHAT/1.0`, as the server pushes it (PROTOCOL.md §5). */
export function encodePush(
	kind: 'MSG' | 'NOTIFY',
	target: string,
	headers: OutgoingHeaders,
	body?: Buffer | string,
): Buffer {
	checkTarget(target);
	return encodeFrame(`${kind} ${target} ${protocolVersion}`, headers, body);
}

/** `value` as a JSON body; the closing newline keeps hand-typed `nc` sessions readable. */
export function jsonBody(value: unknown): string {
	// JSON.stringify(undefined) is undefined, yet a JSON body must be some JSON text.
	return `${JSON.stringify(value) ?? 'null'}\n`;
}

/** A response whose body is `value` as JSON. */
export function jsonResponse(
	status: StatusCode,
	value: unknown,
	headers: OutgoingHeaders = noHeaders,
): OutgoingResponse {
	return {
		status,
		headers: [...headers, ['Content-Type', 'application/json']],
		body: jsonBody(value),
	};
}

/** An error response: `{"error": message}`, which every 4xx and 5xx carries (PROTOCOL.md §2). */
export function errorResponse(
	status: StatusCode,
	message: string,
	headers: OutgoingHeaders = noHeaders,
): OutgoingResponse {
	return jsonResponse(status, { error: message }, headers);
}
