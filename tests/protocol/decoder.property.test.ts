import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../source/protocol/decoder.js';
import { encodeFrame, encodePush, encodeRequest } from '../../source/protocol/encoder.js';
import { parseRequest } from '../../source/protocol/request.js';
import { ProtocolError } from '../../source/protocol/errors.js';
import type { OutgoingHeaders } from '../../source/protocol/frame.js';
import { type PlainEvent, bytewise, decodeChunks, plain, splitAt } from './support.js';

type GeneratedFrame = {
	readonly startLine: string;
	readonly headers: OutgoingHeaders;
	readonly body: Buffer;
	readonly bareLineFeeds: boolean;
	readonly leadingBlankLines: string;
};

const noLineBreaks = (text: string) => !/[\r\n\0]/.test(text);
const word = fc
	.string({ unit: 'binary', minLength: 1, maxLength: 16 })
	.filter((text) => !/[ \t\r\n\0]/.test(text));
const headerName = fc
	.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,16}$/)
	.filter((name) => name.toLowerCase() !== 'content-length');
const headerValue = fc
	.oneof(
		fc.string({
			unit: fc.oneof(
				fc.constantFrom(' ', '\t', ':'),
				fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
			),
			maxLength: 24,
		}),
		// Long values make the head outgrow the decoder's first buffer.
		fc.string({ unit: 'grapheme-ascii', minLength: 100, maxLength: 300 }),
	)
	.map((text) => text.replace(/^[ \t]+|[ \t]+$/g, ''))
	.filter(noLineBreaks);
const headers = fc.uniqueArray(fc.tuple(headerName, headerValue), {
	selector: ([name]) => name.toLowerCase(),
	maxLength: 5,
});
const body = fc.oneof(
	fc.constant(Buffer.alloc(0)),
	fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
	fc.string({ unit: 'binary', maxLength: 100 }).map((text) => Buffer.from(text)),
	fc.constantFrom(Buffer.from('\r\n\r\n'), Buffer.from('PING\n\n')),
);
const startLine = fc.oneof(
	fc
		.tuple(fc.stringMatching(/^[A-Za-z_]{1,12}$/), fc.option(word, { nil: undefined }))
		.map(([verb, target]) => [verb, target, 'CHAT/1.0'].filter(Boolean).join(' ')),
	fc
		.tuple(fc.constantFrom('MSG', 'NOTIFY'), word)
		.map(([kind, target]) => `${kind} ${target} CHAT/1.0`),
	fc.constantFrom('CHAT/1.0 200 OK', 'CHAT/1.0 404 Not Found', 'PING'),
);
const frame: fc.Arbitrary<GeneratedFrame> = fc.record({
	startLine,
	headers,
	body,
	bareLineFeeds: fc.boolean(),
	leadingBlankLines: fc.constantFrom('', '\r\n', '\n\r\n'),
});
const frames = fc.array(frame, { maxLength: 6 });
const offsets = fc.array(fc.nat(), { maxLength: 24 });

function encode(generated: GeneratedFrame): Buffer {
	const bytes = encodeFrame(generated.startLine, generated.headers, generated.body);
	const headLength = bytes.length - generated.body.length;
	let head = bytes.subarray(0, headLength).toString();
	if (generated.bareLineFeeds) head = head.replaceAll('\r\n', '\n');
	return Buffer.concat([Buffer.from(generated.leadingBlankLines + head), generated.body]);
}

function expected(generated: GeneratedFrame): PlainEvent {
	const entries = generated.headers.map(([name, value]): [string, string] => [
		name.toLowerCase(),
		value,
	]);
	if (generated.body.length > 0) entries.push(['content-length', String(generated.body.length)]);
	return {
		type: 'frame',
		startLine: generated.startLine,
		headers: entries,
		body: generated.body.toString('hex'),
	};
}

type Mutation = { kind: 'flip' | 'insert' | 'delete'; position: number; byte: number };

const mutation: fc.Arbitrary<Mutation> = fc.record({
	kind: fc.constantFrom('flip', 'insert', 'delete'),
	position: fc.nat(),
	byte: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x0a, 0x0d, 0x3a, 0x20)),
});

/** Applies byte flips, insertions and deletions at arbitrary positions. */
function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
	let result = bytes;
	for (const { kind, position, byte } of mutations) {
		const at = position % (result.length + 1);
		const before = result.subarray(0, at);
		if (kind === 'insert')
			result = Buffer.concat([before, Buffer.from([byte]), result.subarray(at)]);
		else if (kind === 'delete') result = Buffer.concat([before, result.subarray(at + 1)]);
		else if (at < result.length) {
			result = Buffer.from(result);
			result[at] = byte;
		}
	}
	return result;
}

describe('FrameDecoder properties', () => {
	it('decodes valid frames identically however the stream is split', () => {
		fc.assert(
			fc.property(frames, offsets, (generated, cuts) => {
				const stream = Buffer.concat(generated.map(encode));
				const whole = decodeChunks([stream]).map(plain);
				expect(whole).toEqual(generated.map(expected));
				expect(decodeChunks(splitAt(stream, cuts)).map(plain)).toEqual(whole);
			}),
			{ numRuns: 300 },
		);
	});

	it('round-trips any request through encodeRequest, the decoder and parseRequest', () => {
		const verb = fc.stringMatching(/^[A-Za-z_]{1,12}$/);
		fc.assert(
			fc.property(verb, fc.option(word, { nil: undefined }), headers, body, (...request) => {
				const [verbText, target, headerList, bodyBytes] = request;
				const [event] = decodeChunks([encodeRequest(...request)]);
				if (event?.type !== 'frame') throw new Error('expected a frame');
				expect(parseRequest(event.frame)).toMatchObject({
					verb: verbText.toUpperCase(),
					target,
					body: bodyBytes,
				});
				expect(event.frame.headers.size).toBe(headerList.length + (bodyBytes.length > 0 ? 1 : 0));
			}),
		);
	});

	const limits = fc.constantFrom({}, { maxHeadBytes: 48, maxBodyBytes: 24 });
	const hostileInput = fc.oneof(
		fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
		fc
			.tuple(frames, fc.array(mutation, { minLength: 1, maxLength: 8 }))
			.map(([generated, mutations]) => mutate(Buffer.concat(generated.map(encode)), mutations)),
	);

	it('never throws on arbitrary or damaged input, and stops after a fatal error', () => {
		fc.assert(
			fc.property(hostileInput, offsets, limits, (stream, cuts, limit) => {
				const decoder = new FrameDecoder(limit);
				const events = splitAt(stream, cuts).flatMap((chunk) => decoder.push(chunk));
				for (const [index, event] of events.entries()) {
					expect(['frame', 'error']).toContain(event.type);
					if (event.type === 'error') {
						expect(event.error).toBeInstanceOf(ProtocolError);
						expect(event.error.message).not.toBe('');
						if (event.error.fatal) expect(index).toBe(events.length - 1);
					}
				}
				const fatal = events.some((event) => event.type === 'error' && event.error.fatal);
				expect(decoder.failed).toBe(fatal);
				if (fatal) expect(decoder.push(Buffer.from('PING\r\n\r\n'))).toEqual([]);
				expect(events.map(plain)).toEqual(decodeChunks([stream], limit).map(plain));
			}),
			{ numRuns: 400 },
		);
	});

	it('gives the same events for every two-way split of a pipelined stream', () => {
		const streams: Array<[Buffer, { maxHeadBytes?: number; maxBodyBytes?: number }]> = [
			[
				Buffer.concat([
					Buffer.from('\r\n\nUSE adrian\r\nPassword: hünter2 🦊\r\n\r\n'),
					encodeRequest('SEND', 'chat', [['Request-Id', '1']], 'Hello\r\n\r\nworld ✓'),
					Buffer.from('SEND bob\nbroken header\nContent-Length: 3\n\nabc'),
					encodePush('NOTIFY', 'presence', [], '{"online":true}'),
					Buffer.from('PING\n\n'),
				]),
				{},
			],
			[
				Buffer.from('PING\r\n\r\nSEND x\r\nContent-Length: 99\r\n\r\nnever read'),
				{ maxBodyBytes: 50 },
			],
			[Buffer.from(`PING\n\nSEND x\nX-Long: ${'é'.repeat(40)}\n\n`), { maxHeadBytes: 64 }],
		];
		for (const [stream, limit] of streams) {
			const reference = decodeChunks([stream], limit).map(plain);
			expect(reference.length).toBeGreaterThan(1);
			for (let offset = 0; offset <= stream.length; offset++) {
				const chunks = [stream.subarray(0, offset), stream.subarray(offset)];
				expect(decodeChunks(chunks, limit).map(plain)).toEqual(reference);
			}
			expect(decodeChunks(bytewise(stream), limit).map(plain)).toEqual(reference);
		}
	});
});
