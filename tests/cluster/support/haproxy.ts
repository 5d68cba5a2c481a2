import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

const binaries = ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy'];

/** The installed haproxy binary, if any (Debian: apt-get install haproxy). */
export const haproxyBinary = binaries.find((file) => existsSync(file));

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * Runs HAProxy with the project's own deploy/haproxy.cfg, its ports rewritten: the frontend on
 * `port`, one backend server per node port.
 */
export async function startHaproxy(dir: string, port: number, nodePorts: readonly number[]) {
	if (!haproxyBinary) throw new Error('haproxy is not installed (apt-get install haproxy)');
	const template = await readFile(path.resolve('deploy/haproxy.cfg'), 'utf8');
	const servers = nodePorts.map((p, i) => `    server node${i + 1} 127.0.0.1:${p}`).join('\n');
	const config = template
		.replace('bind 127.0.0.1:5674', `bind 127.0.0.1:${port}`)
		.replace(/( {4}server node\d+ 127\.0\.0\.1:\d+\n?)+/, `${servers}\n`);
	const file = path.join(dir, 'haproxy.cfg');
	await writeFile(file, config);
	const child: ChildProcess = spawn(haproxyBinary, ['-db', '-f', file], { stdio: 'pipe' });
	let output = '';
	child.stderr!.on('data', (chunk) => (output += chunk));
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	return {
		port,
		output: () => output,
		async stop() {
			child.kill('SIGTERM');
			await exited;
		},
	};
}
