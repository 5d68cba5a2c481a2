/**
 * What the storage reports as it works, for the metrics: it only calls these, and never knows
 * which metrics library (if any) counts behind them.
 */
export interface StorageInstruments {
	/**
	 * One group commit: `records` journal records, `bytes` bytes (a new journal file's header
	 * included), written and fsynced together in `seconds`.
	 */
	journalFlushed(seconds: number, records: number, bytes: number): void;
	/** A snapshot ended after `seconds`; `succeeded` false when it failed. */
	snapshotFinished(seconds: number, succeeded: boolean): void;
}

/** Counts nothing: the default. */
export const noStorageInstruments: StorageInstruments = {
	journalFlushed: () => undefined,
	snapshotFinished: () => undefined,
};

/** Seconds since a `performance.now()` reading. */
export const secondsSince = (start: number) => (performance.now() - start) / 1000;
