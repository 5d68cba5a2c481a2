import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadMessage, LoadTask } from '../load.js';
import { withFileLimit } from './file-limit.js';

const loadScript = fileURLToPath(new URL('../load.js', import.meta.url));
const children = new Set<ChildProcess>();

export function killAllLoad(): void {
	for (const child of children) child.kill('SIGKILL');
}

/**
 * Forks the load process (bench/load.ts) for one task and resolves with its result. `onMark` runs
 * when the load reports a window boundary. Killed if it outlives `timeoutMs`.
 */
export function runLoad<T>(
	task: LoadTask,
	options: { files: number; timeoutMs: number; onMark?: (name: string) => void },
): Promise<T> {
	const { command, args } = withFileLimit(options.files, process.execPath, [loadScript]);
	const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	children.add(child);
	return new Promise<T>((resolve, reject) => {
		let settled = false;
		const timer = setTimeout(() => {
			settle(() => reject(new Error(`the ${task.kind} load ran over ${options.timeoutMs} ms`)));
			child.kill('SIGKILL');
		}, options.timeoutMs);
		const settle = (action: () => void) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			action();
		};
		child.on('message', (message: LoadMessage) => {
			if (message.type === 'mark') options.onMark?.(message.name);
			else if (message.type === 'result') settle(() => resolve(message.result as T));
			else settle(() => reject(new Error(`the ${task.kind} load failed: ${message.message}`)));
		});
		child.on('exit', (code) => {
			children.delete(child);
			settle(() => reject(new Error(`the ${task.kind} load exited with ${code} and no result`)));
		});
		child.send(task);
	});
}
