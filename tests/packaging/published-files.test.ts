import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const built = existsSync(resolve(root, 'dist/cli.js'));

describe('the published package', () => {
	if (!built)
		console.warn('packaging: dist/ is not built (npm run build), so npm pack is not checked');

	it.skipIf(!built)(
		'ships the program, its licence and README, and no bench code or maps',
		async () => {
			const { stdout } = await promisify(execFile)(
				'npm',
				['pack', '--dry-run', '--json', '--ignore-scripts'],
				{ cwd: root },
			);
			const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
			const paths = packed.files.map((file) => file.path);
			expect(paths).toEqual(
				expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/cli.js']),
			);
			expect(paths.filter((path) => path.startsWith('dist/bench/'))).toEqual([]);
			expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
			expect(
				paths.filter(
					(path) =>
						!path.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(path),
				),
			).toEqual([]);
		},
	);

	it('keeps bench-only code out of source/', async () => {
		const files = await readdir(resolve(root, 'source'), { recursive: true });
		expect(files.filter((file) => /bench/i.test(file))).toEqual([]);
	});
});
