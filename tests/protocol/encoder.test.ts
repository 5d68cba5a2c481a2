import { describe, expect, it } from 'vitest';
import {
	encodeFrame,
	encodePush,
	encodeRequest,
	encodeResponse,
	errorResponse,
	jsonResponse,
} from '../../source/protocol/encoder.js';
import { parseRequest, parseServerFrame } from '../../source/protocol/request.js';
import { Status } from '../../source/protocol/status.js';
import { decodeChunks } from './support.js';

function decodeOne(bytes: Buffer) {
	const events = decodeChunks([bytes]);
	expect(events).toHaveLength(1);
	const [event] = events;
	if (event?.type !== 'frame') throw new Error('expected a frame');
	return event.frame;
}

describe('encodeFrame', () => {
	it('writes CRLF lines and no Content-Length without a body', () => {
		expect(encodeFrame('PING CHAT/1.0', [['Request-Id', '7']]).toString()).toBe(
			'PING CHAT/1.0\r\nRequest-Id: 7\r\n\r\n',
		);
	});

	it('adds Content-Length in bytes for a non-empty body', () => {
		expect(encodeFrame('SEND chat CHAT/1.0', [], 'héllo').toString()).toBe(
			'SEND chat CHAT/1.0\r\nContent-Length: 6\r\n\r\nhéllo',
		);
		const binary = Buffer.from([0, 255, 13, 10]);
		const frame = encodeFrame('SEND x', [], binary);
		expect(frame.subarray(frame.length - 4)).toEqual(binary);
		expect(frame.toString('latin1')).toContain('Content-Length: 4\r\n');
	});

	it.each([
		['a CR in a value', 'X', 'a\rb'],
		['an LF in a value', 'X', 'a\nInjected: yes'],
		['a NUL in a value', 'X', 'a\0'],
		['an LF in a name', 'X\nY', 'v'],
		['a colon in a name', 'X:Y', 'v'],
		['an empty name', '', 'v'],
		['a space in a name', 'X Y', 'v'],
		['a Content-Length', 'content-LENGTH', '3'],
	])('throws a TypeError for %s', (_, name, value) => {
		expect(() => encodeFrame('PING', [[name, value]])).toThrow(TypeError);
	});

	it.each(['PING\r\nX: 1', 'PING\n', 'PING\r', 'PING\0'])('throws for start line %j', (line) => {
		expect(() => encodeFrame(line, [])).toThrow(TypeError);
	});
});

describe('encodeRequest and encodePush', () => {
	it('round-trips a request through the decoder and parseRequest', () => {
		const bytes = encodeRequest('SEND', 'chat', [['Request-Id', 'r1']], 'hi\r\nthere');
		expect(parseRequest(decodeOne(bytes))).toEqual({
			verb: 'SEND',
			target: 'chat',
			headers: new Map([
				['request-id', 'r1'],
				['content-length', '9'],
			]),
			body: Buffer.from('hi\r\nthere'),
		});
		expect(encodeRequest('PING', undefined, []).toString()).toBe('PING CHAT/1.0\r\n\r\n');
	});

	it('refuses a verb or target that would change the request line', () => {
		expect(() => encodeRequest('SEND X', 'bob', [])).toThrow(TypeError);
		expect(() => encodeRequest('SEND', 'bob CHAT/1.0', [])).toThrow(TypeError);
		expect(() => encodeRequest('SEND', '', [])).toThrow(TypeError);
		expect(() => encodePush('MSG', 'a\r\nb', [])).toThrow(TypeError);
	});

	it('round-trips a push', () => {
		const bytes = encodePush('MSG', 'chat', [['From', 'adrian']], 'Hello everyone');
		expect(parseServerFrame(decodeOne(bytes))).toMatchObject({
			type: 'push',
			push: { kind: 'MSG', target: 'chat', body: Buffer.from('Hello everyone') },
		});
	});
});

describe('responses', () => {
	it('writes the status line with its reason phrase', () => {
		expect(encodeResponse({ status: Status.ok }).toString()).toBe('CHAT/1.0 200 OK\r\n\r\n');
	});

	it('builds a JSON response that round-trips', () => {
		const response = jsonResponse(Status.created, { name: 'chat' }, [['Request-Id', '9']]);
		const parsed = parseServerFrame(decodeOne(encodeResponse(response)));
		expect(parsed).toEqual({
			type: 'response',
			response: {
				status: 201,
				reason: 'Created',
				headers: new Map([
					['request-id', '9'],
					['content-type', 'application/json'],
					['content-length', '16'],
				]),
				body: Buffer.from('{"name":"chat"}\n'),
			},
		});
	});

	it('builds an error body {"error": message}', () => {
		const response = errorResponse(Status.notFound, 'no user named bob');
		const frame = decodeOne(encodeResponse(response));
		expect(frame.startLine).toBe('CHAT/1.0 404 Not Found');
		expect(frame.headers.get('content-type')).toBe('application/json');
		expect(JSON.parse(frame.body.toString())).toEqual({ error: 'no user named bob' });
	});

	it('writes null for a value JSON cannot represent', () => {
		expect(jsonResponse(Status.ok, undefined).body).toBe('null\n');
	});
});
