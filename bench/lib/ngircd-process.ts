import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { withFileLimit } from './file-limit.js';
import { rssKiB, stopChild } from './server-process.js';
import { sleep } from './stats.js';

export const ngircdOperator = { name: 'bench', password: 'bench-operator' } as const;

export type NgircdProcess = {
	readonly pid: number;
	readonly port: number;
	rssKiB(): number;
	stop(): Promise<void>;
};

const children = new Set<ChildProcess>();

export function killAllNgircd(): void {
	for (const child of children) child.kill('SIGKILL');
}

/** The path of ngircd when it is installed (Debian: /usr/sbin/ngircd), else undefined. */
export function findNgircd(): string | undefined {
	for (const candidate of ['/usr/sbin/ngircd', '/usr/local/sbin/ngircd']) {
		const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
		if (probe.status === 0 || /ngIRCd/.test(probe.stdout ?? '')) return candidate;
	}
	return undefined;
}

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/**
 * A config of our own in `dir`, not the system one: loopback only, no DNS/ident/PAM lookups, no
 * per-IP or join limits, penalties off (MaxPenaltyTime = 0) and an operator account so bench
 * clients can set user mode +F (relaxed flood protection).
 */
function config(dir: string, port: number): string {
	return `[Global]
Name = bench.korichat.local
Info = KoriChat bench peer
AdminInfo1 = bench
AdminInfo2 = bench
AdminEMail = bench@localhost
Listen = 127.0.0.1
Ports = ${port}
MotdPhrase = bench
PidFile = ${join(dir, 'ngircd.pid')}
[Limits]
MaxConnections = 0
MaxConnectionsIP = 0
MaxJoins = 0
MaxNickLength = 30
MaxPenaltyTime = 0
PingTimeout = 3600
PongTimeout = 3600
[Options]
DNS = no
Ident = no
PAM = no
IncludeDir = ${join(dir, 'conf.d')}
[Operator]
Name = ${ngircdOperator.name}
Password = ${ngircdOperator.password}
`;
}

/** Starts `ngircd -n -f CONFIG` in the foreground and waits until its port accepts. */
export async function startNgircd(
	binary: string,
	dir: string,
	openFiles = 65_536,
): Promise<NgircdProcess> {
	const port = await freePort();
	const path = join(dir, 'ngircd.conf');
	await writeFile(path, config(dir, port));
	const limited = withFileLimit(openFiles, binary, ['-n', '-f', path]);
	const child = spawn(limited.command, limited.args, { stdio: ['ignore', 'ignore', 'pipe'] });
	children.add(child);
	child.on('exit', () => children.delete(child));
	let stderr = '';
	child.stderr!.on('data', (chunk: Buffer) => {
		if (stderr.length < 4000) stderr += chunk.toString();
	});
	for (let attempt = 0; ; attempt++) {
		if (child.exitCode !== null) throw new Error(`ngircd exited: ${stderr}`);
		if (await accepts(port)) break;
		if (attempt > 100) throw new Error(`ngircd did not listen on ${port}: ${stderr}`);
		await sleep(50);
	}
	const pid = child.pid!;
	return { pid, port, rssKiB: () => rssKiB(pid), stop: () => stopChild(child, 10_000) };
}

function accepts(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}
