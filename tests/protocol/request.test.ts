import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../source/protocol/errors.js';
import type { RawFrame } from '../../source/protocol/frame.js';
import { parseRequest, parseServerFrame } from '../../source/protocol/request.js';

function rawFrame(startLine: string): RawFrame {
	return { startLine, headers: new Map([['x', '1']]), body: Buffer.from('body') };
}

describe('parseRequest', () => {
	it.each([
		['PING', 'PING', undefined],
		['PING CHAT/1.0', 'PING', undefined],
		['SEND chat', 'SEND', 'chat'],
		['USE adrian CHAT/1.0', 'USE', 'adrian'],
		['use adrian', 'USE', 'adrian'],
		['list_user', 'LIST_USER', undefined],
		['  SEND \t bob\tCHAT/1.0 ', 'SEND', 'bob'],
		['SEND bob CHAT/1.1', 'SEND', 'bob'],
		['SEND bob chat/1.0', 'SEND', 'bob'],
		['MK_GROUP chat:josie', 'MK_GROUP', 'chat:josie'],
		['SEND CHAT/2.0 CHAT/1.0', 'SEND', 'CHAT/2.0'],
	])('reads %j as verb %s, target %s', (startLine, verb, target) => {
		const request = parseRequest(rawFrame(startLine));
		expect(request).toEqual({
			verb,
			target,
			headers: new Map([['x', '1']]),
			body: Buffer.from('body'),
		});
	});

	it.each([
		['SEND bob CHAT/2.0', 505, 'CHAT/2.0 is not supported; this server speaks CHAT/1.0'],
		['PING CHAT/0.9', 505, 'CHAT/0.9 is not supported'],
		['PING CHAT/3.1', 505, 'CHAT/3.1 is not supported'],
		['GET / HTTP/1.1', 400, 'not an HTTP server'],
		['SEND bob CHAT/x', 400, '"CHAT/x" is not a protocol version; this server speaks CHAT/1.0'],
		['SEND bob CHAT', 400, 'is not a protocol version'],
		['PING CHAT/1', 400, '"CHAT/1" is not a protocol version'],
		['PING chat/', 400, 'is not a protocol version'],
		['SEND bob now CHAT/1.0', 400, 'the request line has 4 words'],
		['GET /a b HTTP/1.1', 400, 'not an HTTP server'],
		['', 400, 'the request line is empty'],
		[' \t', 400, 'the request line is empty'],
		['SEND-IT bob', 400, 'verb "SEND-IT" is invalid'],
		['123', 400, 'verb "123" is invalid'],
	])('rejects %j with %i', (startLine, status, message) => {
		const error = parseRequest(rawFrame(startLine));
		expect(error).toBeInstanceOf(ProtocolError);
		expect(error).toMatchObject({ status, fatal: false });
		expect((error as ProtocolError).message).toContain(message);
	});
});

describe('parseServerFrame', () => {
	it('reads a response', () => {
		expect(parseServerFrame(rawFrame('CHAT/1.0 404 Not Found'))).toEqual({
			type: 'response',
			response: {
				status: 404,
				reason: 'Not Found',
				headers: new Map([['x', '1']]),
				body: Buffer.from('body'),
			},
		});
		expect(parseServerFrame(rawFrame('CHAT/1.0 200'))).toMatchObject({
			response: { status: 200, reason: '' },
		});
	});

	it.each([
		['MSG adrian CHAT/1.0', 'MSG', 'adrian'],
		['NOTIFY presence CHAT/1.0', 'NOTIFY', 'presence'],
	])('reads the push %j', (startLine, kind, target) => {
		expect(parseServerFrame(rawFrame(startLine))).toMatchObject({
			type: 'push',
			push: { kind, target, body: Buffer.from('body') },
		});
	});

	it.each([
		'CHAT/1.0 20 OK',
		'CHAT/1.0',
		'CHAT/2.0 200 OK',
		'HTTP/1.1 200 OK',
		'MSG adrian',
		'MSG adrian CHAT/2.0',
		'MSG adrian CHAT/1.x',
		'MSG a b CHAT/1.0',
		'SEND adrian CHAT/1.0',
		'',
	])('rejects %j with 400', (startLine) => {
		expect(parseServerFrame(rawFrame(startLine))).toMatchObject({ status: 400 });
	});
});
