import { crc32 } from 'node:zlib';
import { StorageCorruptError } from '../domain/storage-errors.js';
import type { SqlParams, SqlValue } from './sql-types.js';

// A journal file: a 16-byte header ("KORIJNL1", u32 salt, u32 crc32 of the first 12 bytes), then
// records [u32 LE payload length][u32 LE crc32(payload, salt)][payload]. The per-file salt keeps a
// journal-shaped blob inside a payload from passing as a record.
// A payload is a list of entries: u8 kind (bit 7 set: it failed when first run), u32 sql length,
// sql utf-8, then for a statement u16 param count and per param a u8 tag and its value.

export const JOURNAL_HEADER_BYTES = 16;
export const RECORD_HEADER_BYTES = 8;
const MAGIC = Buffer.from('KORIJNL1', 'latin1');
const MIN_PAYLOAD_BYTES = 1 + 4;
const MAX_PARAMS = 0xffff;

const ENTRY_KIND = { statement: 0, script: 1 } as const;
const FAILED_FLAG = 0x80;
const VALUE_TAG = { null: 0, int32: 1, float64: 2, text: 3, blob: 4 } as const;

/** `failed` entries threw when first run; replay runs them for their partial effects (OR FAIL). */
export type JournalEntry =
	| {
			readonly kind: 'statement';
			readonly sql: string;
			readonly params: SqlValue[];
			readonly failed?: true;
	  }
	| { readonly kind: 'script'; readonly sql: string; readonly failed?: true };

export function encodeJournalHeader(salt: number): Buffer {
	const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
	MAGIC.copy(header, 0);
	header.writeUInt32LE(salt >>> 0, 8);
	header.writeUInt32LE(crc32(header.subarray(0, 12)), 12);
	return header;
}

/** The salt of a complete header; undefined when the file is too short to hold one. */
export function decodeJournalHeader(bytes: Buffer, fileName: string): number | undefined {
	if (bytes.length < JOURNAL_HEADER_BYTES) return undefined;
	const valid =
		bytes.subarray(0, 8).equals(MAGIC) && bytes.readUInt32LE(12) === crc32(bytes.subarray(0, 12));
	if (!valid)
		throw new StorageCorruptError(`${fileName} does not start with a KoriChat journal header`);
	return bytes.readUInt32LE(8);
}

/** The payload of a well-formed record at `offset`, or undefined if none is there. */
export function readRecordAt(bytes: Buffer, offset: number, salt: number): Buffer | undefined {
	if (offset + RECORD_HEADER_BYTES > bytes.length) return undefined;
	const length = bytes.readUInt32LE(offset);
	const start = offset + RECORD_HEADER_BYTES;
	if (length < MIN_PAYLOAD_BYTES || start + length > bytes.length) return undefined;
	// Cheap structural check first, so scanning random bytes rarely computes a crc.
	const kind = bytes[start]! & ~FAILED_FLAG;
	if (kind !== ENTRY_KIND.statement && kind !== ENTRY_KIND.script) return undefined;
	if (bytes.readUInt32LE(start + 1) > length - 5) return undefined;
	const payload = bytes.subarray(start, start + length);
	return crc32(payload, salt) === bytes.readUInt32LE(offset + 4) ? payload : undefined;
}

/** Records of one journal generation, encoded in place into one reusable growing buffer. */
export class JournalBatch {
	bytes: Buffer;
	length = 0;
	/** Sequence number of the last complete record in this batch. */
	endSequence = 0;
	private recordStart = -1;

	constructor(
		public generation: number,
		public salt: number,
		capacity = 64 * 1024,
	) {
		this.bytes = Buffer.allocUnsafe(capacity);
	}

	reset(generation: number, salt: number): void {
		this.generation = generation;
		this.salt = salt;
		this.length = 0;
		this.recordStart = -1;
	}

	beginRecord(): void {
		this.recordStart = this.length;
		this.reserve(RECORD_HEADER_BYTES);
		this.length += RECORD_HEADER_BYTES;
	}

	/** Appends one statement; returns a mark for discardFrom(). Throws TypeError on a bad param. */
	appendStatement(sql: string, params: SqlParams): number {
		const mark = this.length;
		if (params.length > MAX_PARAMS)
			throw new TypeError(`too many SQL parameters (${params.length})`);
		try {
			this.appendEntryHead(ENTRY_KIND.statement, sql);
			this.reserve(2);
			this.length = this.bytes.writeUInt16LE(params.length, this.length);
			for (const value of params) this.appendValue(value);
		} catch (error) {
			this.length = mark;
			throw error;
		}
		return mark;
	}

	appendScript(sql: string): number {
		const mark = this.length;
		this.appendEntryHead(ENTRY_KIND.script, sql);
		return mark;
	}

	discardFrom(mark: number): void {
		this.length = mark;
	}

	/** Flags the entry at `mark` as one that threw; it stays because it may have changed rows first. */
	markFailed(mark: number): void {
		this.bytes[mark]! |= FAILED_FLAG;
	}

	/** Seals the record's header; returns its size in bytes, or 0 (and drops it) if it is empty. */
	endRecord(): number {
		const start = this.recordStart;
		this.recordStart = -1;
		const payloadStart = start + RECORD_HEADER_BYTES;
		if (this.length === payloadStart) {
			this.length = start;
			return 0;
		}
		const payload = this.bytes.subarray(payloadStart, this.length);
		this.bytes.writeUInt32LE(payload.length, start);
		this.bytes.writeUInt32LE(crc32(payload, this.salt), start + 4);
		return this.length - start;
	}

	abortRecord(): void {
		if (this.recordStart >= 0) this.length = this.recordStart;
		this.recordStart = -1;
	}

	/** A copy of the payload of the record that ends at the batch's current end. */
	copyLastPayload(size: number): Buffer {
		return Buffer.from(this.bytes.subarray(this.length - size + RECORD_HEADER_BYTES, this.length));
	}

	private appendEntryHead(kind: number, sql: string): void {
		this.reserve(1);
		this.bytes[this.length++] = kind;
		this.appendText(sql);
	}

	private appendValue(value: SqlValue): void {
		this.reserve(9);
		if (value === null) {
			this.bytes[this.length++] = VALUE_TAG.null;
		} else if (typeof value === 'number') {
			if (value === (value | 0) && !Object.is(value, -0)) {
				this.bytes[this.length++] = VALUE_TAG.int32;
				this.length = this.bytes.writeInt32LE(value, this.length);
			} else {
				this.bytes[this.length++] = VALUE_TAG.float64;
				this.length = this.bytes.writeDoubleLE(value, this.length);
			}
		} else if (typeof value === 'string') {
			this.bytes[this.length++] = VALUE_TAG.text;
			this.appendText(value);
		} else if (value instanceof Uint8Array) {
			this.bytes[this.length++] = VALUE_TAG.blob;
			this.reserve(4 + value.length);
			this.length = this.bytes.writeUInt32LE(value.length, this.length);
			this.bytes.set(value, this.length);
			this.length += value.length;
		} else {
			throw new TypeError(`unsupported SQL parameter of type ${typeof value}`);
		}
	}

	private appendText(text: string): void {
		// sql.js and Buffer encode a lone surrogate differently, so replay would store other bytes.
		if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) {
			throw new TypeError('SQL text and string parameters must not contain lone surrogates');
		}
		// UTF-8 needs at most 3 bytes per UTF-16 unit.
		this.reserve(4 + text.length * 3);
		const written = this.bytes.write(text, this.length + 4, 'utf8');
		this.bytes.writeUInt32LE(written, this.length);
		this.length += 4 + written;
	}

	private reserve(extra: number): void {
		const needed = this.length + extra;
		if (needed <= this.bytes.length) return;
		const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
		this.bytes.copy(grown, 0, 0, this.length);
		this.bytes = grown;
	}
}

export function decodeRecord(payload: Buffer): JournalEntry[] {
	const entries: JournalEntry[] = [];
	let offset = 0;
	const readText = (): string => {
		const length = payload.readUInt32LE(offset);
		const end = offset + 4 + length;
		if (end > payload.length) throw new RangeError('text runs past the record');
		const text = payload.toString('utf8', offset + 4, end);
		offset = end;
		return text;
	};
	while (offset < payload.length) {
		const flags = payload[offset++]!;
		const kind = flags & ~FAILED_FLAG;
		const failed = (flags & FAILED_FLAG) !== 0 ? { failed: true as const } : {};
		const sql = readText();
		if (kind === ENTRY_KIND.script) {
			entries.push({ kind: 'script', sql, ...failed });
			continue;
		}
		if (kind !== ENTRY_KIND.statement) throw new RangeError(`unknown entry kind ${kind}`);
		const count = payload.readUInt16LE(offset);
		offset += 2;
		const params: SqlValue[] = [];
		for (let index = 0; index < count; index++) {
			const tag = payload[offset++];
			switch (tag) {
				case VALUE_TAG.null:
					params.push(null);
					break;
				case VALUE_TAG.int32:
					params.push(payload.readInt32LE(offset));
					offset += 4;
					break;
				case VALUE_TAG.float64:
					params.push(payload.readDoubleLE(offset));
					offset += 8;
					break;
				case VALUE_TAG.text:
					params.push(readText());
					break;
				case VALUE_TAG.blob: {
					const length = payload.readUInt32LE(offset);
					const end = offset + 4 + length;
					if (end > payload.length) throw new RangeError('blob runs past the record');
					params.push(new Uint8Array(payload.subarray(offset + 4, end)));
					offset = end;
					break;
				}
				default:
					throw new RangeError(`unknown value tag ${tag}`);
			}
		}
		entries.push({ kind: 'statement', sql, params, ...failed });
	}
	return entries;
}
