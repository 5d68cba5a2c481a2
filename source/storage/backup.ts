import { lstat, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import { BackupError } from './backup-image.js';
import type { ChatStore } from '../domain/store.js';
import { SqlChatStore } from './sql-chat-store.js';

export { BackupError } from './backup-image.js';
export { restoreBackup, type RestoreOptions, type RestoreResult } from './restore-backup.js';

export type BackupOptions = {
	/** Replace `file` if it exists (default: refuse, so a mistyped name never destroys a backup). */
	readonly overwrite?: boolean;
};

export type BackupResult = {
	/** The backup's absolute path. */
	readonly file: string;
	readonly bytes: number;
	/** The newest message the backup holds (every older one that was not deleted is in it too). */
	readonly lastMessageId: number | null;
	readonly durationMs: number;
};

/**
 * Writes a consistent copy of a running server's sql.js database to `file`, without stopping it:
 * a snapshot (rebuilt from the files in the snapshot worker, so the event loop does not wait for
 * the export) whose image is also written to `file` (temp, fsync, rename, fsync its folder). Every
 * write acknowledged before the call is in it; the copy is one transaction-consistent instant.
 * Refused, in one line (BackupError), when `file` lies inside the data folder (a restore or a
 * snapshot there could destroy it, and a copy on the same disk is no backup), when its folder does
 * not exist, or when it exists and `overwrite` is not set; and for a store that is not sql.js's
 * (a PostgreSQL cluster is backed up with pg_dump, docs/operating.md "Backups").
 */
export async function backupChatStore(
	store: ChatStore,
	file: string,
	options: BackupOptions = {},
): Promise<BackupResult> {
	const started = performance.now();
	if (!(store instanceof SqlChatStore)) {
		throw new BackupError(
			'this server keeps its data in PostgreSQL: back it up with pg_dump (see docs/operating.md "Backups")',
		);
	}
	const target = await checkBackupTarget(file, store.db.directory, options);
	let lastMessageId: number | null = null;
	const { bytes } = await store.db.backup(target, () => {
		lastMessageId =
			store.db.get<{ id: number | null }>('SELECT MAX(id) AS id FROM messages')?.id ?? null;
	});
	return { file: target, bytes, lastMessageId, durationMs: performance.now() - started };
}

async function checkBackupTarget(
	file: string,
	dataDir: string,
	options: BackupOptions,
): Promise<string> {
	const target = resolve(file);
	const folder = dirname(target);
	let realFolder: string;
	try {
		realFolder = await realpath(folder);
		if (!(await stat(realFolder)).isDirectory()) throw new BackupError(`${folder} is not a folder`);
	} catch (error) {
		if (error instanceof BackupError) throw error;
		throw new BackupError(`cannot write the backup: the folder ${folder} does not exist`);
	}
	if (isInside(realFolder, await realpath(dataDir))) {
		throw new BackupError(
			`refusing to write the backup inside the data folder ${dataDir}: choose a place outside it`,
		);
	}
	const existing = await lstat(target).catch(() => undefined);
	if (existing?.isDirectory()) throw new BackupError(`${target} is a folder; name a file`);
	if (existing && !options.overwrite) {
		throw new BackupError(
			`${target} exists; choose another name, or pass --overwrite to replace it`,
		);
	}
	return `${realFolder}/${basename(target)}`;
}

function isInside(path: string, folder: string): boolean {
	const fromFolder = relative(folder, path);
	return fromFolder === '' || (!fromFolder.startsWith('..') && !isAbsolute(fromFolder));
}
