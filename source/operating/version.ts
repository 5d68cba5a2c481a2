import { readFileSync } from 'node:fs';

let cached: string | undefined;

/**
 * KoriChat's version, from its package.json: found by walking up from this file, which sits at a
 * different depth when built (dist/source/…) than when tests run it from source/.
 */
export function korichatVersion(): string {
	if (cached !== undefined) return cached;
	let folder = new URL('.', import.meta.url);
	for (let depth = 0; depth < 6; depth++) {
		try {
			const manifest = JSON.parse(readFileSync(new URL('package.json', folder), 'utf8')) as {
				name?: string;
				version?: string;
			};
			if (manifest.name === 'korichat' && manifest.version) return (cached = manifest.version);
		} catch {
			// Not here: look one folder up.
		}
		folder = new URL('..', folder);
	}
	return (cached = 'unknown');
}
