import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { withFileLimit } from './file-limit.js';
import { rssKiB, stopChild } from './server-process.js';
import { sleep } from './stats.js';

/** A peer server the bench started: its pid (for RSS), its loopback port, and how to stop it. */
export type PeerProcess = {
	readonly pid: number;
	readonly port: number;
	rssKiB(): number;
	stop(): Promise<void>;
};

const children = new Set<ChildProcess>();

/** Kills every peer this module started; for exit and signal handlers. */
export function killAllPeers(): void {
	for (const child of children) child.kill('SIGKILL');
}

/** A loopback port nothing listens on right now. */
export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

export function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export type PeerCommand = {
	readonly name: string;
	readonly command: string;
	readonly args: readonly string[];
	readonly port: number;
	readonly cwd: string;
	readonly env?: NodeJS.ProcessEnv;
	readonly files: number;
	/** How long it may take to listen (ejabberd's VM takes seconds). */
	readonly startupMs: number;
};

/** Spawns the peer in the foreground with a raised open-file limit; resolves once `port` accepts. */
export async function startPeerProcess(peer: PeerCommand): Promise<PeerProcess> {
	const limited = withFileLimit(peer.files, peer.command, peer.args);
	const child = spawn(limited.command, limited.args, {
		cwd: peer.cwd,
		env: { ...process.env, ...peer.env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	child.on('exit', () => children.delete(child));
	let output = '';
	const keep = (chunk: Buffer) => {
		if (output.length < 8000) output += chunk.toString();
	};
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const started = performance.now();
	for (;;) {
		if (child.exitCode !== null) throw new Error(`${peer.name} exited: ${output.slice(-2000)}`);
		if (await accepts(peer.port)) break;
		if (performance.now() - started > peer.startupMs) {
			child.kill('SIGKILL');
			throw new Error(`${peer.name} did not listen on ${peer.port}: ${output.slice(-2000)}`);
		}
		await sleep(100);
	}
	const pid = child.pid!;
	return { pid, port: peer.port, rssKiB: () => rssKiB(pid), stop: () => stopChild(child, 15_000) };
}
