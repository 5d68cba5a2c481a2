import { execFileSync } from 'node:child_process';

/** Child-process tests run the real CLI from dist/, so build it once, fresh, before any suite. */
export default function setup() {
	execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
		stdio: 'inherit',
	});
}
