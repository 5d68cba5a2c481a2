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
	readonly pieces: Buffer[];
	remaining: number;
};

const lineFeed = 0x0a;
const carriageReturn = 0x0d;
const emptyBody = Buffer.alloc(0);
const initialHeadCapacity = 256;

function isBlank(byte: number | undefined): boolean {
	return byte === 0x20 || byte === 0x09 || byte === carriageReturn;
}

/**
 * Turns a byte stream into CHAT/1.0 frames (PROTOCOL.md §1), whatever way the stream is split.
 * Every byte is examined once: the head is copied into a buffer capped at maxHeadBytes, and the
 * body's pieces are kept (not copied; do not reuse a pushed chunk) and joined once when complete.
 */
export class FrameDecoder {
	readonly #limits: DecoderLimits;
	#failed = false;
	#head: Buffer = emptyBody;
	#headLength = 0;
	/** Where the line being read starts within the head. */
	#lineStart = 0;
	#body: PendingBody | undefined;

	constructor(limits: Partial<DecoderLimits> = {}) {
		this.#limits = { ...defaultLimits, ...limits };
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
		const bytes = Buffer.isBuffer(chunk)
			? chunk
			: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		let offset = 0;
		while (offset < bytes.length && !this.#failed) {
			offset =
				this.#body === undefined
					? this.#readHead(bytes, offset, events)
					: this.#readBody(this.#body, bytes, offset, events);
		}
		return events;
	}

	#readHead(bytes: Buffer, offset: number, events: DecodeEvent[]): number {
		const newline = bytes.indexOf(lineFeed, offset);
		const end = newline === -1 ? bytes.length : newline + 1;
		if (this.#headLength + end - offset > this.#limits.maxHeadBytes) {
			const message = `header section exceeds ${this.#limits.maxHeadBytes} bytes`;
			this.#fail(events, new ProtocolError(Status.headerFieldsTooLarge, message, true));
			return bytes.length;
		}
		this.#append(bytes, offset, end);
		if (newline !== -1) this.#endLine(events);
		return end;
	}

	#append(bytes: Buffer, start: number, end: number): void {
		const needed = this.#headLength + end - start;
		if (needed > this.#head.length) {
			let capacity = Math.max(this.#head.length * 2, initialHeadCapacity);
			while (capacity < needed) capacity *= 2;
			const grown = Buffer.allocUnsafe(Math.min(capacity, this.#limits.maxHeadBytes));
			this.#head.copy(grown, 0, 0, this.#headLength);
			this.#head = grown;
		}
		bytes.copy(this.#head, this.#headLength, start, end);
		this.#headLength = needed;
	}

	/** Called with the head ending in LF: skips a leading blank line, or completes the head. */
	#endLine(events: DecodeEvent[]): void {
		let contentEnd = this.#headLength - 1;
		if (contentEnd > this.#lineStart && this.#head[contentEnd - 1] === carriageReturn) contentEnd--;
		if (this.#lineStart === 0) {
			let index = 0;
			while (index < contentEnd && isBlank(this.#head[index])) index++;
			if (index === contentEnd) this.#headLength = 0;
			else this.#lineStart = this.#headLength;
			return;
		}
		if (contentEnd > this.#lineStart) {
			this.#lineStart = this.#headLength;
			return;
		}
		const head = parseHead(this.#head.subarray(0, this.#headLength), this.#limits.maxBodyBytes);
		this.#headLength = 0;
		this.#lineStart = 0;
		if (head instanceof ProtocolError) this.#fail(events, head);
		else if (head.bodyLength === 0) this.#emit(events, head, emptyBody);
		else this.#body = { head, pieces: [], remaining: head.bodyLength };
	}

	#readBody(body: PendingBody, bytes: Buffer, offset: number, events: DecodeEvent[]): number {
		const end = Math.min(bytes.length, offset + body.remaining);
		body.pieces.push(bytes.subarray(offset, end));
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

	#fail(events: DecodeEvent[], error: ProtocolError): void {
		events.push({ type: 'error', error });
		this.#failed = true;
		this.#head = emptyBody;
		this.#headLength = 0;
		this.#lineStart = 0;
		this.#body = undefined;
	}
}
