// What a store reports when it cannot do a write; the server maps these to 500 and 503.
/** A journal write or fsync failed: memory may be ahead of the disk, so the store takes no more writes. */
export class StorageFailedError extends Error {
	override readonly name = 'StorageFailedError';
}

/** The files on disk cannot be trusted (a damaged record with valid data after it, a bad header). */
export class StorageCorruptError extends Error {
	override readonly name = 'StorageCorruptError';
}

/** The database was used after close() began. */
export class StorageClosedError extends Error {
	override readonly name = 'StorageClosedError';

	constructor() {
		super('the database is closed');
	}
}

/**
 * The database cannot be reached right now (a networked store lost its connection). Nothing
 * acknowledged is lost; the store reconnects by itself and the request may be retried.
 */
export class StorageUnavailableError extends Error {
	override readonly name = 'StorageUnavailableError';
}
