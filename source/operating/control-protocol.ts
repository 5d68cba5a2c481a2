import { join } from 'node:path';
import type { AdminCommands } from '../domain/admin-types.js';

/**
 * The control socket's protocol: JSON lines over a Unix-domain socket in the data folder, one
 * request `{id, command, args}` answered by one `{id, ok, result | error}`. Shared by the server
 * (control-server.ts) and `korichat admin` (control-client.ts).
 */

export const controlSocketName = 'control.sock';
/** A longer line is refused: no admin request is anywhere near it. */
export const maxControlLineBytes = 1024 * 1024;
/** sun_path holds 108 bytes on Linux, the final NUL included (104 on the BSDs and macOS). */
export const maxSocketPathBytes = process.platform === 'linux' ? 107 : 103;

export const controlSocketPath = (dataDir: string) => join(dataDir, controlSocketName);

/** Why the control socket cannot be used in `dataDir`, or undefined when its path fits. */
export function socketPathProblem(dataDir: string): string | undefined {
	const path = controlSocketPath(dataDir);
	const bytes = Buffer.byteLength(path);
	if (bytes <= maxSocketPathBytes) return undefined;
	return `the control socket path ${path} is ${bytes} bytes, longer than the ${maxSocketPathBytes} a Unix socket allows`;
}

/** What a live server offers over the socket beyond AdminCommands. */
export type BackupSummary = {
	/** The backup's absolute path. */
	readonly file: string;
	readonly bytes: number;
	/** The newest message in it. */
	readonly lastMessageId: number | null;
};

/** Everything `korichat admin` can ask, wherever it runs (over the socket or on the data directly). */
export interface AdminTarget extends AdminCommands {
	/** Refuses an existing `file` unless `overwrite`. */
	backup(file: string, overwrite?: boolean): Promise<BackupSummary>;
}

export const controlCommands = [
	'ping',
	'users',
	'groups',
	'create-user',
	'reset-password',
	'disable',
	'enable',
	'delete-group',
	'sessions',
	'stats',
	'backup',
] as const;
export type ControlCommand = (typeof controlCommands)[number];

export type ControlRequest = {
	readonly id: number;
	readonly command: ControlCommand;
	readonly args: readonly unknown[];
};

/** `admin`: the command could not be done as asked (an AdminError); `request`: a malformed request. */
export type ControlErrorKind = 'admin' | 'request' | 'internal';

export type ControlAnswer =
	| { readonly id: number | null; readonly ok: true; readonly result: unknown }
	| {
			readonly id: number | null;
			readonly ok: false;
			readonly error: { readonly kind: ControlErrorKind; readonly message: string };
	  };

export const encodeLine = (value: unknown) => `${JSON.stringify(value)}\n`;

/**
 * Splits a byte stream into lines, keeping a partial one between chunks; a line (or partial one)
 * longer than `maxBytes` is reported instead of buffered.
 */
export class LineSplitter {
	#pending: Buffer[] = [];
	#pendingBytes = 0;

	constructor(readonly maxBytes = maxControlLineBytes) {}

	/** The complete lines in `chunk` (with what came before), or 'too-long'. */
	push(chunk: Buffer): string[] | 'too-long' {
		const lines: string[] = [];
		let start = 0;
		for (let end = chunk.indexOf(0x0a); end >= 0; end = chunk.indexOf(0x0a, start)) {
			const piece = chunk.subarray(start, end);
			if (this.#pendingBytes + piece.length > this.maxBytes) return 'too-long';
			lines.push(Buffer.concat([...this.#pending, piece]).toString('utf8'));
			this.#pending = [];
			this.#pendingBytes = 0;
			start = end + 1;
		}
		const rest = chunk.subarray(start);
		if (this.#pendingBytes + rest.length > this.maxBytes) return 'too-long';
		if (rest.length > 0) {
			this.#pending.push(rest);
			this.#pendingBytes += rest.length;
		}
		return lines;
	}
}
