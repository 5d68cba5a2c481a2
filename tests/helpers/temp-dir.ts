import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDir = { readonly dir: string; remove(): Promise<void> };

/** A fresh folder under the OS temp dir; remove() deletes it with everything inside. */
export async function makeTempDir(prefix = 'korichat-'): Promise<TempDir> {
	const dir = await mkdtemp(join(tmpdir(), prefix));
	return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
