export type SqlValue = number | string | Uint8Array | null;
export type SqlParams = readonly SqlValue[];
export type RunResult = { changes: number };

export interface SqlReader {
	get<T extends object>(sql: string, params?: SqlParams): T | undefined;
	all<T extends object>(sql: string, params?: SqlParams): T[];
}

export interface SqlWriter extends SqlReader {
	run(sql: string, params?: SqlParams): RunResult;
}

/** `up` may hold several statements; it runs inside a journaled write with `user_version` = `version`. */
export type Migration = { readonly version: number; readonly up: string };

export const NO_PARAMS: SqlParams = Object.freeze([]);
