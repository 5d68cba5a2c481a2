import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startPeerProcess, type PeerProcess } from './peer-process.js';

export const ngircdOperator = { name: 'bench', password: 'bench-operator' } as const;

export type NgircdProcess = PeerProcess;

/** The path of ngircd when it is installed (Debian: /usr/sbin/ngircd), else undefined. */
export function findNgircd(): string | undefined {
	for (const candidate of ['/usr/sbin/ngircd', '/usr/local/sbin/ngircd']) {
		const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
		if (probe.status === 0 || /ngIRCd/.test(probe.stdout ?? '')) return candidate;
	}
	return undefined;
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
	// Started like the XMPP peers; a killed bench kills it through killAllPeers.
	return startPeerProcess({
		name: 'ngircd',
		command: binary,
		args: ['-n', '-f', path],
		port,
		cwd: dir,
		files: openFiles,
		startupMs: 5000,
	});
}
