import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const module = resolve('dist/source/cli/full-screen.js');
const enter = '\u001b[?1049h';
const leave = '\u001b[23;0t\u001b[?2004l\u001b[?25h\u001b[?1049l';

/** Runs `body` after enterFullScreen() in a child process (dist/ is built by the global setup). */
function run(body: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const script = `import(${JSON.stringify(module)}).then(({ enterFullScreen }) => { const screen = enterFullScreen(); ${body} });`;
	const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk) => (stdout += chunk));
	child.stderr.on('data', (chunk) => (stderr += chunk));
	return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

describe('the full screen', () => {
	it('is left on a normal exit', async () => {
		const result = await run('process.exit(0);');
		expect(result.code).toBe(0);
		expect(result.stdout.startsWith(enter)).toBe(true);
		expect(result.stdout.endsWith(leave)).toBe(true);
	});

	it('is left once, even when restored by hand first', async () => {
		const result = await run('screen.restore(); process.exit(0);');
		expect(result.stdout.split(leave)).toHaveLength(2);
	});

	it('is left on a crash, and the error is printed after it', async () => {
		const result = await run('setTimeout(() => { throw new Error("boom"); }, 5);');
		expect(result.code).toBe(1);
		expect(result.stdout.endsWith(leave)).toBe(true);
		expect(result.stderr).toContain('korichat: Error: boom');
	});

	it('is left on an unhandled rejection', async () => {
		const result = await run('Promise.reject(new Error("lost"));');
		expect(result.code).toBe(1);
		expect(result.stdout.endsWith(leave)).toBe(true);
		expect(result.stderr).toContain('lost');
	});
});
