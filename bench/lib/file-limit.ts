import { execFileSync } from 'node:child_process';

/**
 * `command args` run through `sh` only to raise the soft open-file limit to `files` first (or to
 * the hard limit if that is lower); `exec` keeps the pid, so /proc/<pid> names the program itself.
 */
export function withFileLimit(files: number, command: string, args: readonly string[]) {
	return {
		command: 'sh',
		args: [
			'-c',
			`ulimit -n ${files} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$0" "$@"`,
			command,
			...args,
		],
	};
}

/** The hard limit on open files, which children can raise their soft limit to. */
export function hardFileLimit(): number {
	const text = execFileSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
	return text === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(text);
}
