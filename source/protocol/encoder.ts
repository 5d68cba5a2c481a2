import { type OutgoingHeaders, type OutgoingResponse, protocolVersion } from './frame.js';
import { type StatusCode, reasonPhrase } from './status.js';
import { headerNamePattern, verbPattern } from './syntax.js';

const lineBreakOrNul = /[\r\n\0]/;
const targetToken = /^[^ \t\r\n\0]+$/;
const noHeaders: OutgoingHeaders = [];

function checkHeader(name: string, value: string): void {
	if (!headerNamePattern.test(name))
		throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
	if (lineBreakOrNul.test(value)) {
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
	if (lineBreakOrNul.test(startLine)) {
		throw new TypeError(`start line ${JSON.stringify(startLine)} has a CR, LF or NUL`);
	}
	let head = `${startLine}\r\n`;
	for (const [name, value] of headers) {
		checkHeader(name, value);
		head += `${name}: ${value}\r\n`;
	}
	const bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
	head += bodyLength > 0 ? `Content-Length: ${bodyLength}\r\n\r\n` : '\r\n';
	const headLength = Buffer.byteLength(head);
	const frame = Buffer.allocUnsafe(headLength + bodyLength);
	frame.write(head, 0);
	if (typeof body === 'string') frame.write(body, headLength);
	else body.copy(frame, headLength);
	return frame;
}

/** `CHAT/1.0 <code> <reason>` and the response's headers and body. */
export function encodeResponse(response: OutgoingResponse): Buffer {
	const startLine = `${protocolVersion} ${response.status} ${reasonPhrase[response.status]}`;
	return encodeFrame(startLine, response.headers ?? noHeaders, response.body);
}

function checkTarget(target: string): void {
	if (!targetToken.test(target)) {
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
