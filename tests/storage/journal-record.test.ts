import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
	JOURNAL_HEADER_BYTES,
	JournalBatch,
	decodeRecord,
	encodeJournalHeader,
	type JournalEntry,
} from '../../source/storage/journal-record.js';
import { scanJournal } from '../../source/storage/journal-scan.js';
import { StorageCorruptError } from '../../source/domain/storage-errors.js';
import type { SqlValue } from '../../source/storage/sql-types.js';

const SALT = 0x5eed;

const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(
	fc.constant(null),
	fc.integer(),
	fc.double(),
	fc.string({ unit: 'grapheme' }),
	fc.uint8Array({ maxLength: 64 }),
);

const entry: fc.Arbitrary<JournalEntry> = fc.oneof(
	fc.record({
		kind: fc.constant('statement' as const),
		sql: fc.string({ minLength: 1 }),
		params: fc.array(sqlValue, { maxLength: 8 }),
	}),
	fc.record({ kind: fc.constant('script' as const), sql: fc.string() }),
);

function encode(records: JournalEntry[][], capacity = 16): Buffer {
	const batch = new JournalBatch(0, SALT, capacity);
	for (const entries of records) {
		batch.beginRecord();
		for (const item of entries) {
			if (item.kind === 'script') batch.appendScript(item.sql);
			else batch.appendStatement(item.sql, item.params);
		}
		batch.endRecord();
	}
	return Buffer.concat([encodeJournalHeader(SALT), batch.bytes.subarray(0, batch.length)]);
}

describe('journal records', () => {
	it('decode to exactly what was encoded', () => {
		fc.assert(
			fc.property(
				fc.array(fc.array(entry, { minLength: 1, maxLength: 4 }), { maxLength: 6 }),
				(records) => {
					const scan = scanJournal(encode(records), 'journal');
					expect(scan.records.map((record) => decodeRecord(record.payload))).toEqual(records);
				},
			),
		);
	});

	it('drop a record with no entries and a discarded statement', () => {
		const batch = new JournalBatch(0, SALT);
		batch.beginRecord();
		expect(batch.endRecord()).toBe(0);
		batch.beginRecord();
		const mark = batch.appendStatement('INSERT 1', []);
		batch.discardFrom(mark);
		batch.appendStatement('INSERT 2', [2]);
		expect(batch.endRecord()).toBeGreaterThan(0);
		const bytes = Buffer.concat([encodeJournalHeader(SALT), batch.bytes.subarray(0, batch.length)]);
		expect(scanJournal(bytes, 'j').records.map((record) => decodeRecord(record.payload))).toEqual([
			[{ kind: 'statement', sql: 'INSERT 2', params: [2] }],
		]);
	});

	it('keep the failed flag of an entry', () => {
		const batch = new JournalBatch(0, SALT);
		batch.beginRecord();
		batch.markFailed(batch.appendStatement('INSERT OR FAIL', [1]));
		batch.markFailed(batch.appendScript('CREATE TABLE t (x); BROKEN'));
		batch.endRecord();
		const bytes = Buffer.concat([encodeJournalHeader(SALT), batch.bytes.subarray(0, batch.length)]);
		expect(decodeRecord(scanJournal(bytes, 'j').records[0]!.payload)).toEqual([
			{ kind: 'statement', sql: 'INSERT OR FAIL', params: [1], failed: true },
			{ kind: 'script', sql: 'CREATE TABLE t (x); BROKEN', failed: true },
		]);
	});

	it('refuse parameters that are not SQL values', () => {
		const batch = new JournalBatch(0, SALT);
		batch.beginRecord();
		expect(() => batch.appendStatement('x', [true as unknown as SqlValue])).toThrow(TypeError);
		expect(() => batch.appendStatement('x', [undefined as unknown as SqlValue])).toThrow(TypeError);
		expect(batch.endRecord()).toBe(0);
	});

	it('treat a cut at any byte as a torn tail that keeps every whole record', () => {
		const records = [...Array(5).keys()].map((index): JournalEntry[] => [
			{
				kind: 'statement',
				sql: `INSERT ${index}`,
				params: [index, 'text', new Uint8Array([index])],
			},
		]);
		const full = encode(records);
		const ends = scanJournal(full, 'j').records.map(
			(record) => record.offset + 8 + record.payload.length,
		);
		for (let cut = 0; cut <= full.length; cut++) {
			const scan = scanJournal(full.subarray(0, cut), 'j');
			const whole = ends.filter((end) => end <= cut);
			expect(scan.records).toHaveLength(whole.length);
			expect(scan.validLength).toBe(
				cut < JOURNAL_HEADER_BYTES ? 0 : (whole.at(-1) ?? JOURNAL_HEADER_BYTES),
			);
		}
	});

	it('treat garbage after the last record as a torn tail', () => {
		fc.assert(
			fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (garbage) => {
				const full = encode([[{ kind: 'script', sql: 'CREATE TABLE t (x)' }]]);
				const scan = scanJournal(Buffer.concat([full, garbage]), 'j');
				expect(scan.records).toHaveLength(1);
				expect(scan.validLength).toBe(full.length);
			}),
		);
	});

	it('refuse a damaged record that has valid records after it', () => {
		const records = [...Array(4).keys()].map((index): JournalEntry[] => [
			{ kind: 'statement', sql: `INSERT ${index}`, params: [index] },
		]);
		const full = encode(records);
		const second = scanJournal(full, 'j').records[1]!;
		for (const where of [second.offset, second.offset + 4, second.offset + 10]) {
			const damaged = Buffer.from(full);
			damaged[where]! ^= 0xff;
			expect(() => scanJournal(damaged, 'journal.0.log')).toThrow(StorageCorruptError);
		}
	});

	it('refuse a file that is not a journal', () => {
		expect(() => scanJournal(Buffer.from('SQLite format 3\0 and more bytes'), 'j')).toThrow(
			/journal header/,
		);
	});
});
