import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../source/protocol/decoder.js';
import { bytewise, decodeChunks, decodeText, plain, splitAt } from './support.js';

function frame(startLine: string, headers: Array<[string, string]> = [], body = '') {
	return { type: 'frame', startLine, headers, body: Buffer.from(body).toString('hex') };
}

describe('FrameDecoder framing', () => {
	it('reads a CRLF frame without a body', () => {
		expect(decodeText('PING CHAT/1.0\r\n\r\n')).toEqual([frame('PING CHAT/1.0')]);
	});

	it('accepts bare LF and a mix of LF and CRLF', () => {
		expect(decodeText('SEND bob\nA: 1\r\nB: 2\n\r\n')).toEqual([
			frame('SEND bob', [
				['a', '1'],
				['b', '2'],
			]),
		]);
	});

	it('skips blank lines before a start line', () => {
		expect(decodeText('\r\n\n  \r\n\t\nPING\n\n\r\nPING\n\n')).toEqual([
			frame('PING'),
			frame('PING'),
		]);
	});

	it('decodes pipelined frames from one chunk', () => {
		const stream = 'A x\r\nContent-Length: 3\r\n\r\nabcB\r\n\r\nC y\nContent-Length: 1\n\nz';
		expect(decodeText(stream)).toEqual([
			frame('A x', [['content-length', '3']], 'abc'),
			frame('B'),
			frame('C y', [['content-length', '1']], 'z'),
		]);
	});

	it('lower-cases header names and trims values', () => {
		expect(decodeText('PING\r\nRequest-ID: \t 7 a \t\r\nX-Empty:\r\n\r\n')).toEqual([
			frame('PING', [
				['request-id', '7 a'],
				['x-empty', ''],
			]),
		]);
	});

	it('joins a repeated header with a comma, as HTTP does', () => {
		expect(decodeText('PING\nA: 1\na: 2\n\n')).toEqual([frame('PING', [['a', '1, 2']])]);
	});

	it('keeps CRLF and blank lines inside a body', () => {
		const body = 'line one\r\n\r\nline two\n';
		const stream = `SEND chat\r\nContent-Length: ${body.length}\r\n\r\n${body}PING\r\n\r\n`;
		expect(decodeText(stream)).toEqual([
			frame('SEND chat', [['content-length', String(body.length)]], body),
			frame('PING'),
		]);
	});

	it('treats Content-Length 0 as no body', () => {
		expect(decodeText('PING\nContent-Length: 0\n\nPING\n\n')).toEqual([
			frame('PING', [['content-length', '0']]),
			frame('PING'),
		]);
	});

	it('gives the same frames whether fed at once, byte by byte, or split inside CRLF and UTF-8', () => {
		const body = 'héllo wörld 🎉\r\n';
		const stream = Buffer.from(
			`SEND café CHAT/1.0\r\nName: Zoë 🦊\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
		);
		const whole = decodeChunks([stream]).map(plain);
		expect(whole).toEqual([
			frame(
				'SEND café CHAT/1.0',
				[
					['name', 'Zoë 🦊'],
					['content-length', String(Buffer.byteLength(body))],
				],
				body,
			),
		]);
		expect(decodeChunks(bytewise(stream)).map(plain)).toEqual(whole);
		const insideCrlf = stream.indexOf('\r\n') + 1;
		const insideEmoji = stream.indexOf('🦊') + 2;
		expect(decodeChunks(splitAt(stream, [insideCrlf, insideEmoji])).map(plain)).toEqual(whole);
	});

	it('keeps a long head intact when it arrives byte by byte', () => {
		const value = Array.from({ length: 3000 }, (_, index) => String(index % 10)).join('');
		const stream = Buffer.from(`PING\r\nX-Long: ${value}\r\nX-Next: ok\r\n\r\n`);
		expect(decodeChunks(bytewise(stream)).map(plain)).toEqual([
			frame('PING', [
				['x-long', value],
				['x-next', 'ok'],
			]),
		]);
	});

	it('accepts a plain Uint8Array as well as a Buffer', () => {
		const decoder = new FrameDecoder();
		const events = decoder.push(new TextEncoder().encode('PING\n\n'));
		expect(events.map(plain)).toEqual([frame('PING')]);
	});
});

describe('FrameDecoder limits', () => {
	it('fails with 431 as soon as a head without a newline passes the limit', () => {
		const decoder = new FrameDecoder();
		const kibibyte = Buffer.alloc(1024, 'a');
		const results = Array.from({ length: 100 }, () => decoder.push(kibibyte));
		// 8 KiB fit; the ninth KiB passes the limit.
		expect(results.slice(0, 8).flat()).toEqual([]);
		expect(results[8]?.map(plain)).toEqual([
			{ type: 'error', status: 431, fatal: true, message: 'header section exceeds 8192 bytes' },
		]);
		expect(results.slice(9).flat()).toEqual([]);
		expect(decoder.failed).toBe(true);
		expect(decoder.hasPartialFrame).toBe(false);
	});

	it('fails with 431 on one 100 KiB chunk without a newline', () => {
		const events = decodeText(Buffer.alloc(100 * 1024, 'a'));
		expect(events).toMatchObject([{ type: 'error', status: 431, fatal: true }]);
	});

	it('accepts a head of exactly maxHeadBytes and rejects one byte more', () => {
		const head = (size: number) => `PING\r\nX: ${'v'.repeat(size - 13)}\r\n\r\n`;
		expect(Buffer.byteLength(head(100))).toBe(100);
		expect(decodeText(head(100), { maxHeadBytes: 100 })).toMatchObject([{ type: 'frame' }]);
		expect(decodeText(head(101), { maxHeadBytes: 100 })).toMatchObject([
			{ type: 'error', status: 431 },
		]);
	});

	it('fails with 413 as soon as the head announces too big a body', () => {
		const decoder = new FrameDecoder();
		const events = decoder.push(Buffer.from('SEND chat\r\nContent-Length: 70000\r\n\r\n'));
		expect(events.map(plain)).toEqual([
			{
				type: 'error',
				status: 413,
				fatal: true,
				message: 'body of 70000 bytes exceeds the limit of 65536 bytes',
			},
		]);
		expect(decoder.failed).toBe(true);
	});

	it('accepts a body of exactly maxBodyBytes', () => {
		const stream = `SEND chat\nContent-Length: 10\n\n${'b'.repeat(10)}`;
		expect(decodeText(stream, { maxBodyBytes: 10 })).toMatchObject([{ type: 'frame' }]);
		expect(decodeText(stream.replace('10', '11'), { maxBodyBytes: 10 })).toMatchObject([
			{ type: 'error', status: 413 },
		]);
	});
});

describe('FrameDecoder errors', () => {
	it.each([
		['not a number', 'Content-Length: ten'],
		['negative', 'Content-Length: -1'],
		['signed', 'Content-Length: +1'],
		['fractional', 'Content-Length: 1.5'],
		['a list', 'Content-Length: 1, 1'],
		['empty', 'Content-Length:'],
		['conflicting', 'Content-Length: 1\r\nContent-Length: 2'],
		['malformed name', 'Content-Length : 1'],
	])('fails with a fatal 400 for a Content-Length that is %s', (_, header) => {
		const decoder = new FrameDecoder();
		const events = decoder.push(Buffer.from(`SEND chat\r\n${header}\r\n\r\nxPING\r\n\r\n`));
		expect(events.map(plain)).toMatchObject([{ type: 'error', status: 400, fatal: true }]);
		expect(decoder.failed).toBe(true);
	});

	it('accepts a repeated Content-Length only when written identically', () => {
		const stream = 'SEND chat\nContent-Length: 1\ncontent-length: 01\n\nx';
		expect(decodeText(stream)).toMatchObject([{ type: 'error', fatal: true }]);
		expect(decodeText(stream.replace('01', '1'))).toMatchObject([{ type: 'frame' }]);
	});

	it.each([
		['a line without a colon', 'Just words', 'has no colon'],
		['an empty name', ': value', 'is invalid'],
		['a name with a space', 'Bad Name: value', 'is invalid'],
		['a folded line', ' continued', 'has no colon'],
		['a bare CR in a value', 'X: a\rb', 'carriage return'],
		['a NUL in a value', 'X: a\0b', 'NUL'],
	])('reports %s as a non-fatal 400, skips its body and carries on', (_, line, words) => {
		const decoder = new FrameDecoder();
		const stream = `SEND chat\r\n${line}\r\nContent-Length: 4\r\n\r\nbodyPING\r\n\r\n`;
		const events = decoder.push(Buffer.from(stream)).map(plain);
		expect(events).toMatchObject([{ type: 'error', status: 400, fatal: false }, frame('PING')]);
		expect(events[0]).toHaveProperty('message', expect.stringContaining(words));
		expect(decoder.failed).toBe(false);
	});

	it('reports a head that is not UTF-8 as a non-fatal 400', () => {
		const stream = Buffer.concat([
			Buffer.from('SEND b'),
			Buffer.from([0xc3, 0x28, 0xff]),
			Buffer.from('\r\nContent-Length: 2\r\n\r\nhiPING\n\n'),
		]);
		expect(decodeChunks(bytewise(stream)).map(plain)).toEqual([
			{
				type: 'error',
				status: 400,
				fatal: false,
				message: 'the header section is not valid UTF-8',
			},
			frame('PING'),
		]);
	});

	it('accepts any bytes in a body', () => {
		const body = Buffer.from([0xff, 0x00, 0x0d, 0x0a, 0xc3]);
		const stream = Buffer.concat([Buffer.from('SEND x\nContent-Length: 5\n\n'), body]);
		const [event] = decodeChunks([stream]);
		expect(event?.type === 'frame' && event.frame.body).toEqual(body);
	});

	it('ignores all input after a fatal error', () => {
		const decoder = new FrameDecoder();
		expect(decoder.push(Buffer.from('SEND x\nContent-Length: z\n\nPING\n\n'))).toHaveLength(1);
		expect(decoder.push(Buffer.from('PING\n\n'))).toEqual([]);
		expect(decoder.failed).toBe(true);
	});
});

describe('FrameDecoder.pushInto', () => {
	it('appends to the given array, as push() returns', () => {
		const decoder = new FrameDecoder();
		const events = decoder.push(Buffer.from('PING\n\n'));
		decoder.pushInto(Buffer.from('PING\r\nA: 1\r\n\r\nPI'), events);
		decoder.pushInto(Buffer.from('NG\n\n'), events);
		expect(events.map(plain)).toEqual([frame('PING'), frame('PING', [['a', '1']]), frame('PING')]);
	});

	it('reads whole heads again after one that chunks cut (its buffer is let go)', () => {
		const decoder = new FrameDecoder();
		const events = [];
		for (let round = 0; round < 3; round++) {
			events.push(...decoder.push(Buffer.from(`SEND x\r\nContent-Le`)));
			expect(decoder.hasPartialFrame).toBe(true);
			events.push(...decoder.push(Buffer.from(`ngth: 1\r\n\r\n${round}PING\r\n\r\n\r\n`)));
			expect(decoder.hasPartialFrame).toBe(false);
			events.push(...decoder.push(Buffer.from(' \r')));
			expect(decoder.hasPartialFrame).toBe(false);
			events.push(...decoder.push(Buffer.from('\nB: 2\n\n')));
		}
		expect(events.map(plain)).toEqual(
			[0, 1, 2].flatMap((round) => [
				frame('SEND x', [['content-length', '1']], String(round)),
				frame('PING'),
				frame('B: 2'),
			]),
		);
	});
});

describe('FrameDecoder.hasPartialFrame', () => {
	it('is true only while part of a frame is buffered', () => {
		const decoder = new FrameDecoder();
		expect(decoder.hasPartialFrame).toBe(false);
		decoder.push(Buffer.from('\r\n \r'));
		expect(decoder.hasPartialFrame).toBe(false);
		decoder.push(Buffer.from('\nP'));
		expect(decoder.hasPartialFrame).toBe(true);
		decoder.push(Buffer.from('ING\r\nContent-Length: 2\r\n\r\n'));
		expect(decoder.hasPartialFrame).toBe(true);
		expect(decoder.push(Buffer.from('h'))).toEqual([]);
		expect(decoder.hasPartialFrame).toBe(true);
		expect(decoder.push(Buffer.from('i'))).toHaveLength(1);
		expect(decoder.hasPartialFrame).toBe(false);
	});
});
