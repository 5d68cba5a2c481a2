import { cp, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDir = { readonly dir: string; remove(): Promise<void> };

/** A fresh folder under the OS temp dir; remove() deletes it with everything inside. */
export async function makeTempDir(prefix = 'korichat-'): Promise<TempDir> {
	const dir = await mkdtemp(join(tmpdir(), prefix));
	return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Copies a data folder as a backup tool would: its files, not the control socket a running or
 * killed server leaves there (it is not data, and cannot be copied).
 */
export async function copyDataFolder(from: string, to: string): Promise<void> {
	await cp(from, to, {
		recursive: true,
		filter: async (source) => !(await lstat(source)).isSocket(),
	});
}
