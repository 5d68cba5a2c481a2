// `node dist/bench/xmpp-fsyncs.js [messages]` (after a build; needs strace): starts each installed
// XMPP peer with the bench's config and counts the fsync-family calls its process makes while one
// user sends `messages` chat messages to another, to say how durable each peer is as configured.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEjabberd, startEjabberd } from './lib/ejabberd-process.js';
import type { PeerProcess } from './lib/peer-process.js';
import { findProsody, startProsody, xmppDomain } from './lib/prosody-process.js';
import { sleep } from './lib/stats.js';
import { openXmppLinks, registerXmppUsers } from './lib/xmpp-link.js';

const messages = Number(process.argv[2] ?? 50);
const peers = [
	{ name: 'Prosody', find: findProsody, start: startProsody },
	{ name: 'ejabberd', find: findEjabberd, start: startEjabberd },
] as const;

/** Runs `body` with strace counting fsync, fdatasync and sync_file_range over every thread. */
async function countSyncs(pid: number, body: () => Promise<void>): Promise<string> {
	const args = ['-f', '-c', '-e', 'trace=fsync,fdatasync,sync_file_range', '-p', String(pid)];
	const strace = spawn('strace', args, { stdio: ['ignore', 'ignore', 'pipe'] });
	let report = '';
	strace.stderr.on('data', (chunk: Buffer) => (report += chunk.toString()));
	await sleep(1500); // attached to every thread
	await body();
	const exited = new Promise((resolve) => strace.once('exit', resolve));
	strace.kill('SIGINT');
	await exited;
	return report
		.split('\n')
		.filter((line) => /^\s*[\d.]+\s+[\d.]+\s+\d+\s+\d+/.test(line))
		.filter((line) => !line.endsWith('total'))
		.join('\n');
}

async function measure(start: (dir: string, files: number) => Promise<PeerProcess>) {
	const dir = await mkdtemp(join(tmpdir(), 'korichat-bench-fsyncs-'));
	const server = await start(dir, 4096);
	const target = { port: server.port, domain: xmppDomain };
	try {
		await registerXmppUsers(target, ['a', 'b'], 'bench-password-1');
		const accounts = ['a', 'b'].map((user) => ({ user, resource: 'fsyncs' }));
		const [sender, receiver] = await openXmppLinks(target, accounts, 'bench-password-1');
		await Promise.all([sender!.sync(), receiver!.sync()]);
		return await countSyncs(server.pid, async () => {
			let received = 0;
			const all = new Promise<void>((resolve) => {
				receiver!.onMessage = () => void (++received === messages && resolve());
			});
			for (let index = 0; index < messages; index++) {
				sender!.write(
					`<message type='chat' to='b@${xmppDomain}'><body>fsync count ${index}</body></message>`,
				);
			}
			await all;
			await sender!.sync();
		});
	} finally {
		await server.stop();
		await rm(dir, { recursive: true, force: true });
	}
}

for (const peer of peers) {
	const probe = peer.find();
	if ('missing' in probe) {
		process.stdout.write(`${peer.name}: ${probe.missing}\n`);
		continue;
	}
	const counts = await measure(peer.start);
	process.stdout.write(`${probe.version}, ${messages} chat messages:\n${counts || '  none'}\n`);
}
