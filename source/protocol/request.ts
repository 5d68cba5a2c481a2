import { ProtocolError } from './errors.js';
import { type Push, type RawFrame, type Request, type Response, protocolVersion } from './frame.js';
import { Status } from './status.js';
import { quote, verbPattern, versionPattern } from './syntax.js';

const versionPrefix = /^CHAT\//i;
const httpVersion = /^HTTP\//i;
const response = /^CHAT\/1\.[0-9]+[ \t]+([0-9]{3})(?:[ \t]+(.*))?$/;
const requestShape = `write requests as "VERB [target] ${protocolVersion}"`;

function badRequest(message: string): ProtocolError {
	return new ProtocolError(Status.badRequest, message);
}

/** The words of a line, split at runs of spaces and tabs. */
function splitTokens(line: string): string[] {
	const tokens: string[] = [];
	let start = -1;
	for (let index = 0; index < line.length; index++) {
		const code = line.charCodeAt(index);
		if (code === 0x20 || code === 0x09) {
			if (start !== -1) tokens.push(line.slice(start, index));
			start = -1;
		} else if (start === -1) {
			start = index;
		}
	}
	if (start !== -1) tokens.push(line.slice(start));
	return tokens;
}

/** Checks a well-formed version token: undefined when it is CHAT/1.x, else the 505 owed. */
function checkVersion(token: string): ProtocolError | undefined {
	if (token === protocolVersion) return undefined;
	const major = versionPattern.exec(token)?.[1] ?? '';
	if (Number(major) === 1) return undefined;
	return new ProtocolError(
		Status.versionNotSupported,
		`${token} is not supported; this server speaks ${protocolVersion}`,
	);
}

function notAVersion(token: string, tokens: readonly string[]): ProtocolError {
	if (tokens.some((each) => httpVersion.test(each))) {
		return badRequest(
			`this is a ${protocolVersion} chat server, not an HTTP server; ${requestShape}`,
		);
	}
	return badRequest(
		`${quote(token)} is not a protocol version; this server speaks ${protocolVersion}, so ${requestShape}`,
	);
}

/** Reads `VERB [target] CHAT/1.0`; a missing version means CHAT/1.0 (PROTOCOL.md §1). */
export function parseRequest(frame: RawFrame): Request | ProtocolError {
	const tokens = splitTokens(frame.startLine);
	const verb = tokens[0] ?? '';
	const second = tokens[1];
	const third = tokens[2];
	if (tokens.length === 0) return badRequest(`the request line is empty; ${requestShape}`);
	if (tokens.length > 3) {
		const last = tokens[tokens.length - 1] ?? '';
		if (httpVersion.test(last)) return notAVersion(last, tokens);
		return badRequest(`the request line has ${tokens.length} words; ${requestShape}`);
	}
	let target = second;
	if (third !== undefined) {
		if (third !== protocolVersion && !versionPattern.test(third)) return notAVersion(third, tokens);
		const unsupported = checkVersion(third);
		if (unsupported) return unsupported;
	} else if (second === protocolVersion) {
		target = undefined;
	} else if (second !== undefined && versionPrefix.test(second)) {
		if (!versionPattern.test(second)) return notAVersion(second, tokens);
		const unsupported = checkVersion(second);
		if (unsupported) return unsupported;
		target = undefined;
	}
	if (!verbPattern.test(verb)) {
		return badRequest(`verb ${quote(verb)} is invalid; a verb is letters and underscores only`);
	}
	return { verb: verb.toUpperCase(), target, headers: frame.headers, body: frame.body };
}

export type ServerFrame = { type: 'response'; response: Response } | { type: 'push'; push: Push };

/** Reads a frame from the server: a response `CHAT/1.0 <code> <reason>`, or a MSG/NOTIFY push. */
export function parseServerFrame(frame: RawFrame): ServerFrame | ProtocolError {
	const { startLine, headers, body } = frame;
	if (startLine.startsWith('CHAT/1.')) {
		const match = response.exec(startLine);
		if (!match) return badRequest(`status line ${quote(startLine)} is malformed`);
		const status = Number(match[1]);
		const reason = (match[2] ?? '').trim();
		return { type: 'response', response: { status, reason, headers, body } };
	}
	const [kind, target, version, ...rest] = splitTokens(startLine);
	const isPush = kind === 'MSG' || kind === 'NOTIFY';
	if (!isPush || target === undefined || rest.length > 0 || !version?.startsWith('CHAT/1.')) {
		return badRequest(`start line ${quote(startLine)} is neither a response nor a push`);
	}
	if (!versionPattern.test(version)) return badRequest(`version ${quote(version)} is malformed`);
	return { type: 'push', push: { kind, target, headers, body } };
}
