import { symlink } from 'node:fs/promises';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { build } from 'rolldown';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/**
 * Bundles a TypeScript fixture (and the project sources it imports) into one ES module in `outDir`,
 * so a test can run it in a child process with plain `node`. Packages stay external and resolve
 * through a node_modules link to the project's.
 */
export async function compileFixture(entry: string, outDir: string): Promise<string> {
	const outFile = join(outDir, basename(entry).replace(/\.tsx?$/, '.mjs'));
	await build({
		input: entry,
		platform: 'node',
		external: (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0'),
		resolve: { extensionAlias: { '.js': ['.ts', '.tsx', '.js'] } },
		logLevel: 'warn',
		output: { file: outFile, format: 'esm' },
	});
	await symlink(join(PROJECT_ROOT, 'node_modules'), join(outDir, 'node_modules'), 'dir').catch(
		(error: NodeJS.ErrnoException) => {
			if (error.code !== 'EEXIST') throw error;
		},
	);
	return outFile;
}
