import {
	JOURNAL_HEADER_BYTES,
	RECORD_HEADER_BYTES,
	decodeJournalHeader,
	readRecordAt,
} from './journal-record.js';
import { StorageCorruptError } from '../domain/storage-errors.js';

export type JournalRecord = { readonly offset: number; readonly payload: Buffer };

export type JournalScan = {
	/** undefined when the file is empty or its header was torn. */
	readonly salt: number | undefined;
	readonly records: JournalRecord[];
	/** Bytes up to the end of the last good record; anything after it is a torn tail. */
	readonly validLength: number;
};

/**
 * Reads the records of one journal file. A damaged record with nothing valid after it is a torn
 * tail (the write was cut short by a crash) and ends the scan; a damaged record followed by a
 * valid one means data that was acknowledged is unreadable, so the scan throws instead.
 */
export function scanJournal(bytes: Buffer, fileName: string): JournalScan {
	const salt = decodeJournalHeader(bytes, fileName);
	if (salt === undefined) return { salt, records: [], validLength: 0 };
	const records: JournalRecord[] = [];
	let offset = JOURNAL_HEADER_BYTES;
	for (;;) {
		const payload = readRecordAt(bytes, offset, salt);
		if (payload === undefined) break;
		records.push({ offset, payload });
		offset += RECORD_HEADER_BYTES + payload.length;
	}
	if (offset < bytes.length) {
		const later = findRecordAfter(bytes, offset, salt);
		if (later !== undefined) {
			throw new StorageCorruptError(
				`${fileName} is corrupt: the record at byte ${offset} is damaged but a valid record follows ` +
					`at byte ${later}; refusing to open rather than drop acknowledged writes ` +
					`(restore the folder from a backup, or truncate the file to ${offset} bytes to accept the loss)`,
			);
		}
	}
	return { salt, records, validLength: offset };
}

function findRecordAfter(bytes: Buffer, badOffset: number, salt: number): number | undefined {
	for (let offset = badOffset + 1; offset + RECORD_HEADER_BYTES < bytes.length; offset++) {
		if (readRecordAt(bytes, offset, salt) !== undefined) return offset;
	}
	return undefined;
}
