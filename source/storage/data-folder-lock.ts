import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { link, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * One server per data folder. Node has no flock, so the lock is a file per generation,
 * `korichat.lock.<n>`, made with link() (exclusive and atomic: a reader never sees half a file).
 * The highest generation is the current one; a stale one (its process is gone, or it was released)
 * is never deleted to take over, it is superseded by creating generation n + 1, which exactly one
 * of several racing starters can do. Holders then drop the older generations.
 */
const LOCK_PREFIX = 'korichat.lock.';
const LOCK_NAME = /^korichat\.lock\.(\d+)$/;
const TEMP_NAME = /^korichat\.lock\.tmp-/;
const MAX_ATTEMPTS = 50;

/** A data folder another live process holds; the message is the one line a person sees. */
export class DataFolderInUseError extends Error {
	override readonly name = 'DataFolderInUseError';
	constructor(
		readonly dir: string,
		readonly holderPid: number,
	) {
		super(`${resolve(dir)} is in use by another KoriChat server (pid ${holderPid}); stop it first`);
	}
}

/** What a lock file holds: who took it, and a token that tells this taking from any other. */
type LockRecord = {
	readonly pid: number;
	/** The process start time from /proc/<pid>/stat, so a reused PID is not taken for the holder. */
	readonly startTime: string | null;
	/** For a person reading the file; not checked: a recreated container has a new host name. */
	readonly host: string;
	/** Device and inode of the folder: a copy of the folder (a crash image, a backup) is not it. */
	readonly folder: string | null;
	readonly token: string;
	readonly released?: true;
};

/** A held lock; release() is idempotent and never rejects. */
export type DataFolderLock = {
	readonly path: string;
	release(): Promise<void>;
};

/** Tokens this process holds now: a lock file naming this PID with another token is a copy or a leftover. */
const heldHere = new Map<string, { path: string; record: LockRecord }>();

/**
 * Takes the lock on `dir` (which must exist), or throws DataFolderInUseError naming the holder.
 * Call it before opening anything else in the folder.
 */
export async function lockDataFolder(dir: string): Promise<DataFolderLock> {
	const record: LockRecord = {
		pid: process.pid,
		startTime: processStartTime(process.pid),
		host: hostname(),
		folder: await folderIdentity(dir),
		token: randomBytes(12).toString('hex'),
	};
	for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
		const current = await currentLock(dir);
		if (current?.record && isLive(current.record, record.folder)) {
			throw new DataFolderInUseError(dir, current.record.pid);
		}
		const generation = (current?.generation ?? 0) + 1;
		const path = join(dir, `${LOCK_PREFIX}${generation}`);
		// Held from the moment the file may exist, so that this process, too, sees it as live.
		heldHere.set(record.token, { path, record });
		try {
			if (await createExclusively(dir, path, record)) {
				// Someone who read the folder before our file existed may have made a higher generation.
				const after = await currentLock(dir);
				if (after?.generation === generation) {
					installExitRelease();
					await removeOlderGenerations(dir, generation);
					return { path, release: () => releaseLock(record.token) };
				}
				await unlink(path).catch(() => undefined);
			}
		} catch (error) {
			heldHere.delete(record.token);
			throw error;
		}
		heldHere.delete(record.token);
	}
	throw new Error(`could not take the lock on ${dir}: it kept changing; try again`);
}

/** Writes a temp file, then links it to `path`: false if `path` exists already. */
async function createExclusively(dir: string, path: string, record: LockRecord): Promise<boolean> {
	const temp = join(dir, `${LOCK_PREFIX}tmp-${record.token}`);
	await writeFile(temp, JSON.stringify(record), { mode: 0o600 });
	try {
		await link(temp, path);
		return true;
	} catch (error) {
		// ENOENT: a new holder swept our temp file away as stray; write it again.
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST' || code === 'ENOENT') return false;
		throw error;
	} finally {
		await unlink(temp).catch(() => undefined);
	}
}

/** The highest generation in `dir` and what it says (null if unreadable: treated as stale). */
async function currentLock(
	dir: string,
): Promise<{ generation: number; record: LockRecord | null } | undefined> {
	let highest = 0;
	for (const name of await readdir(dir)) {
		const match = LOCK_NAME.exec(name);
		if (match) highest = Math.max(highest, Number(match[1]));
	}
	if (highest === 0) return undefined;
	try {
		const text = await readFile(join(dir, `${LOCK_PREFIX}${highest}`), 'utf8');
		return { generation: highest, record: parseRecord(text) };
	} catch (error) {
		// Dropped by its holder after we listed the folder: look again.
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return currentLock(dir);
		throw error;
	}
}

function parseRecord(text: string): LockRecord | null {
	try {
		const value = JSON.parse(text) as Partial<LockRecord>;
		if (typeof value.pid !== 'number' || typeof value.token !== 'string') return null;
		return {
			pid: value.pid,
			startTime: typeof value.startTime === 'string' ? value.startTime : null,
			host: typeof value.host === 'string' ? value.host : hostname(),
			folder: typeof value.folder === 'string' ? value.folder : null,
			token: value.token,
			...(value.released ? { released: true as const } : {}),
		};
	} catch {
		return null;
	}
}

/** Whether the process that wrote the record still holds the folder. */
function isLive(record: LockRecord, folder: string | null): boolean {
	if (record.released) return false;
	if (record.folder !== null && folder !== null && record.folder !== folder) return false;
	if (record.pid === process.pid) return heldHere.has(record.token);
	try {
		process.kill(record.pid, 0);
	} catch (error) {
		// EPERM: the process exists but belongs to another user.
		if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
	}
	if (isZombie(record.pid)) return false;
	const startTime = processStartTime(record.pid);
	return record.startTime === null || startTime === null || startTime === record.startTime;
}

async function folderIdentity(dir: string): Promise<string | null> {
	const { dev, ino } = await stat(dir);
	return ino === 0 ? null : `${dev}:${ino}`;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where there is no /proc. */
export function processStartTime(pid: number): string | null {
	return procStat(pid)?.[19] ?? null;
}

/** A killed process its parent has not reaped yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
	return procStat(pid)?.[0] === 'Z';
}

/** The fields of /proc/<pid>/stat from field 3 (the state) on; undefined where there is no /proc. */
function procStat(pid: number): string[] | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) is in parentheses and may hold spaces: count after its end.
		return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/** Older generations and stray temp files (from a process killed while taking the lock). */
async function removeOlderGenerations(dir: string, generation: number): Promise<void> {
	for (const name of await readdir(dir)) {
		const match = LOCK_NAME.exec(name);
		const stale = match ? Number(match[1]) < generation : TEMP_NAME.test(name);
		if (stale) await unlink(join(dir, name)).catch(() => undefined);
	}
}

/** Marks the file released (rename over it: atomic), keeping its generation as the highest. */
async function releaseLock(token: string): Promise<void> {
	const held = heldHere.get(token);
	if (!held) return;
	heldHere.delete(token);
	const temp = releaseTempPath(held.path, token);
	try {
		await writeFile(temp, JSON.stringify({ ...held.record, released: true }), { mode: 0o600 });
		await rename(temp, held.path);
	} catch {
		// A full disk cannot take the record: dropping the file releases the folder too.
		await unlink(temp).catch(() => undefined);
		await unlink(held.path).catch(() => undefined);
	}
}

const releaseTempPath = (path: string, token: string) =>
	join(dirname(path), `${LOCK_PREFIX}tmp-released-${token}`);

let exitReleaseInstalled = false;

/** On a normal exit (process.exit included) the locks still held are released synchronously. */
function installExitRelease(): void {
	if (exitReleaseInstalled) return;
	exitReleaseInstalled = true;
	process.on('exit', () => {
		for (const [token, held] of heldHere) {
			heldHere.delete(token);
			try {
				const temp = releaseTempPath(held.path, token);
				writeFileSync(temp, JSON.stringify({ ...held.record, released: true }), { mode: 0o600 });
				renameSync(temp, held.path);
			} catch {
				// The process is gone after this, so the lock counts as stale anyway.
			}
		}
	});
}
