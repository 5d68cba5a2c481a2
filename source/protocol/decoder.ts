import { ProtocolError } from './errors.js';
import type { RawFrame } from './frame.js';
import { type ParsedHead, parseHead } from './head.js';
import { Status } from './status.js';

export type DecoderLimits = { readonly maxHeadBytes: number; readonly maxBodyBytes: number };

export const defaultLimits: DecoderLimits = { maxHeadBytes: 8 * 1024, maxBodyBytes: 64 * 1024 };

export type DecodeEvent =
	{ type: 'frame'; frame: RawFrame } | { type: 'error'; error: ProtocolError };

type PendingBody = {
	readonly head: ParsedHead;
	/** The body's bytes from earlier chunks; undefined while none came. */
	pieces: Buffer[] | undefined;
	remaining: number;
};

const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const emptyBody = Buffer.alloc(0);
const initialHeadCapacity = 256;

function isBlank(byte: number | undefined): boolean {
	return byte === 0x20 || byte === 0x09 || byte === carriageReturn;
}

/** What a line that just ended means for the head it belongs to. */
const LineEnd = { blank: 0, line: 1, head: 2 } as const;
type LineEnd = (typeof LineEnd)[keyof typeof LineEnd];

/**
 * Classifies the line `bytes[lineStart, newline]` of a head that began at `headStart`: a blank line
 * before any start line (skipped), a start or header line, or the empty line that ends the head.
 */
function endOfLine(bytes: Buffer, headStart: number, lineStart: number, newline: number): LineEnd {
	let contentEnd = newline;
	if (contentEnd > lineStart && bytes[contentEnd - 1] === carriageReturn) contentEnd--;
	if (lineStart === headStart) {
		let index = headStart;
		while (index < contentEnd && isBlank(bytes[index])) index++;
		return index === contentEnd ? LineEnd.blank : LineEnd.line;
	}
	return contentEnd > lineStart ? LineEnd.line : LineEnd.head;
}

/**
 * The first LF in `bytes[from, limit)`, else -1. Head lines are short, so a loop here costs less
 * than a call into native code; the limit keeps a flood without LF from being read past the cap.
 */
function lineFeedIn(bytes: Buffer, from: number, limit: number): number {
	for (let index = from; index < limit; index++) {
		if (bytes[index] === lineFeed) return index;
	}
	return -1;
}

/**
 * Turns a byte stream into CHAT/1.0 frames (PROTOCOL.md §1), whatever way the stream is split.
 * A head that arrives whole is parsed where it lies in the chunk; only a head cut by a chunk's end
 * is copied into a buffer (capped at maxHeadBytes, and let go once the head is complete), so an
 * idle decoder holds no buffer. A body within one chunk is copied out of it at once; a body that
 * chunks cut has its pieces kept (not copied; do not reuse a pushed chunk) and joined once complete.
 */
export class FrameDecoder {
	readonly #maxHeadBytes: number;
	readonly #maxBodyBytes: number;
	#failed = false;
	/** The start of a head cut by a chunk's end; empty when no head is buffered. */
	#head: Buffer = emptyBody;
	#headLength = 0;
	/** Where the line being read starts within the buffered head; 0 before the start line ends. */
	#lineStart = 0;
	/** Bytes of blank lines skipped since the last head: they count toward maxHeadBytes. */
	#blankBytes = 0;
	#body: PendingBody | undefined;

	constructor(limits: Partial<DecoderLimits> = {}) {
		this.#maxHeadBytes = limits.maxHeadBytes ?? defaultLimits.maxHeadBytes;
		this.#maxBodyBytes = limits.maxBodyBytes ?? defaultLimits.maxBodyBytes;
	}

	/** True while bytes of an unfinished frame are buffered (the server's frame timeout uses it). */
	get hasPartialFrame(): boolean {
		if (this.#body !== undefined || this.#lineStart > 0) return true;
		// Blank lines before a start line are skipped, so they begin no frame.
		for (let index = 0; index < this.#headLength; index++) {
			if (!isBlank(this.#head[index])) return true;
		}
		return false;
	}

	/** True after a fatal error: the decoder ignores all further input. */
	get failed(): boolean {
		return this.#failed;
	}

	/** Feed bytes; returns complete frames and errors, in stream order. */
	push(chunk: Uint8Array): DecodeEvent[] {
		const events: DecodeEvent[] = [];
		this.pushInto(chunk, events);
		return events;
	}

	/** Like push(), but appends the events to `events` (the server's queue) instead of a new array. */
	pushInto(chunk: Uint8Array, events: DecodeEvent[]): void {
		const bytes = Buffer.isBuffer(chunk)
			? chunk
			: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		let offset = 0;
		while (offset < bytes.length && !this.#failed) {
			if (this.#body !== undefined) offset = this.#readBody(this.#body, bytes, offset, events);
			else if (this.#headLength > 0) offset = this.#readBufferedHead(bytes, offset, events);
			else offset = this.#readHead(bytes, offset, events);
		}
	}

	/** Reads a head in place from `offset`; keeps its start if the chunk ends first. */
	#readHead(bytes: Buffer, offset: number, events: DecodeEvent[]): number {
		let headStart = offset;
		let lineStart = offset;
		for (;;) {
			// An LF past the cap would make the head too large: no need to look that far.
			const limit = Math.min(bytes.length, headStart + this.#maxHeadBytes - this.#blankBytes);
			const newline = lineFeedIn(bytes, lineStart, limit);
			if (newline === -1) {
				if (bytes.length > limit) {
					this.#failHeadTooLarge(events);
					return bytes.length;
				}
				if (bytes.length > headStart) {
					this.#append(bytes, headStart, bytes.length);
					this.#lineStart = lineStart - headStart;
				}
				return bytes.length;
			}
			const end = newline + 1;
			const kind = endOfLine(bytes, headStart, lineStart, newline);
			if (kind === LineEnd.head) {
				this.#completeHead(bytes, headStart, end, events);
				return end;
			}
			if (kind === LineEnd.blank) {
				// Endless blank lines are no frame, yet cost reading: they are capped like a head.
				this.#blankBytes += end - headStart;
				headStart = end;
			}
			lineStart = end;
		}
	}

	/** Continues a head that an earlier chunk cut, a line at a time. */
	#readBufferedHead(bytes: Buffer, offset: number, events: DecodeEvent[]): number {
		const limit = Math.min(
			bytes.length,
			offset + this.#maxHeadBytes - this.#headLength - this.#blankBytes,
		);
		const newline = lineFeedIn(bytes, offset, limit);
		if (newline === -1 && bytes.length > limit) {
			this.#failHeadTooLarge(events);
			return bytes.length;
		}
		const end = newline === -1 ? bytes.length : newline + 1;
		this.#append(bytes, offset, end);
		if (newline === -1) return end;
		const head = this.#head;
		const kind = endOfLine(head, 0, this.#lineStart, this.#headLength - 1);
		if (kind === LineEnd.blank) {
			this.#blankBytes += this.#headLength;
			this.#head = emptyBody;
			this.#headLength = 0;
		} else if (kind === LineEnd.line) {
			this.#lineStart = this.#headLength;
		} else {
			const length = this.#headLength;
			// The buffer goes with the head: an idle connection keeps none.
			this.#head = emptyBody;
			this.#headLength = 0;
			this.#lineStart = 0;
			this.#completeHead(head, 0, length, events);
		}
		return end;
	}

	#append(bytes: Buffer, start: number, end: number): void {
		const needed = this.#headLength + end - start;
		if (needed > this.#head.length) {
			let capacity = Math.max(this.#head.length * 2, initialHeadCapacity);
			while (capacity < needed) capacity *= 2;
			const grown = Buffer.allocUnsafe(Math.min(capacity, this.#maxHeadBytes));
			this.#head.copy(grown, 0, 0, this.#headLength);
			this.#head = grown;
		}
		bytes.copy(this.#head, this.#headLength, start, end);
		this.#headLength = needed;
	}

	#completeHead(bytes: Buffer, start: number, end: number, events: DecodeEvent[]): void {
		this.#blankBytes = 0;
		const head = parseHead(bytes, this.#maxBodyBytes, start, end);
		if (head instanceof ProtocolError) this.#fail(events, head);
		else if (head.bodyLength === 0) this.#emit(events, head, emptyBody);
		else this.#body = { head, pieces: undefined, remaining: head.bodyLength };
	}

	#readBody(body: PendingBody, bytes: Buffer, offset: number, events: DecodeEvent[]): number {
		const end = Math.min(bytes.length, offset + body.remaining);
		if (body.pieces === undefined && end - offset === body.remaining) {
			// The whole body is in this chunk: one copy, no pieces.
			const whole = Buffer.allocUnsafe(body.remaining);
			bytes.copy(whole, 0, offset, end);
			this.#body = undefined;
			this.#emit(events, body.head, whole);
			return end;
		}
		(body.pieces ??= []).push(bytes.subarray(offset, end));
		body.remaining -= end - offset;
		if (body.remaining === 0) {
			this.#body = undefined;
			this.#emit(events, body.head, Buffer.concat(body.pieces, body.head.bodyLength));
		}
		return end;
	}

	#emit(events: DecodeEvent[], head: ParsedHead, body: Buffer): void {
		if (head.error !== undefined) {
			events.push({ type: 'error', error: head.error });
			return;
		}
		events.push({
			type: 'frame',
			frame: { startLine: head.startLine, headers: head.headers, body },
		});
	}

	#failHeadTooLarge(events: DecodeEvent[]): void {
		const blank = this.#blankBytes > 0 ? ' (blank lines before a start line count too)' : '';
		const message = `header section exceeds ${this.#maxHeadBytes} bytes${blank}`;
		this.#fail(events, new ProtocolError(Status.headerFieldsTooLarge, message, true));
	}

	#fail(events: DecodeEvent[], error: ProtocolError): void {
		events.push({ type: 'error', error });
		this.#failed = true;
		this.#head = emptyBody;
		this.#headLength = 0;
		this.#lineStart = 0;
		this.#blankBytes = 0;
		this.#body = undefined;
	}
}
