import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startPeerProcess, type PeerProcess } from './peer-process.js';

export const xmppDomain = 'bench.local';
export const mucDomain = `rooms.${xmppDomain}`;

/** The installed version of a Debian package, or undefined. */
export function debianVersion(name: string): string | undefined {
	const probe = spawnSync('dpkg-query', ['-W', '-f', '${Status} ${Version}', name], {
		encoding: 'utf8',
	});
	const match = /install ok installed (\S+)/.exec(probe.stdout ?? '');
	return match?.[1];
}

/** Prosody's version when it and its SQLite driver are installed, else what is missing. */
export function findProsody(): { version: string } | { missing: string } {
	if (!existsSync('/usr/bin/prosody')) return { missing: 'prosody is not installed' };
	const drivers = ['5.4', '5.3', '5.2', '5.1'].map(
		(lua) => `/usr/lib/x86_64-linux-gnu/lua/${lua}/dbd/sqlite3.so`,
	);
	if (!drivers.some((path) => existsSync(path))) {
		return { missing: 'lua-dbi-sqlite3 (Prosody’s SQLite driver) is not installed' };
	}
	return { version: `Prosody ${debianVersion('prosody') ?? ''}`.trim() };
}

/**
 * A config of our own in `dir`, never the system one: loopback only, one port, no TLS (SASL PLAIN
 * allowed in the clear), no s2s, no rate limits (mod_limits is not loaded), in-band registration
 * open to loopback, passwords stored plain so a login costs what KoriChat's cookie bind costs.
 * Storage `sql` on SQLite for everything: mod_mam archives every chat message (both parties'
 * archives), mod_muc_mam every room message, mod_offline what arrives for an offline user. SQLite
 * runs with its defaults (rollback journal, synchronous=FULL: an fsync per commit), which Prosody
 * leaves alone (it sets no PRAGMA); each archived stanza is one transaction.
 */
function config(dir: string, port: number): string {
	return `-- KoriChat bench peer: Prosody with durable archives on SQLite
run_as_root = true
pidfile = "${join(dir, 'prosody.pid')}"
data_path = "${join(dir, 'data')}"
log = { { levels = { min = "error" }, to = "console" } }
interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = {}
network_backend = "epoll"
modules_enabled = { "roster", "saslauth", "disco", "ping", "register", "mam", "offline" }
modules_disabled = { "s2s", "tls", "admin_shell", "posix" }
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
allow_registration = true
authentication = "internal_plain"
storage = "sql"
sql = { driver = "SQLite3", database = "${join(dir, 'data', 'prosody.sqlite')}" }
default_archive_policy = true
archive_expires_after = "never"
storage_archive_item_limit = 1000000000

VirtualHost "${xmppDomain}"

Component "${mucDomain}" "muc"
	modules_enabled = { "muc_mam" }
	muc_log_all_rooms = true
	muc_log_by_default = true
	muc_log_expires_after = "never"
	muc_room_locking = false
	restrict_room_creation = false
	-- Joins are announced to the room owner only: a 1,000-member join storm (10^6 presences) is setup
	-- time, not the fan-out measured.
	muc_room_default_presence_broadcast = { moderator = true }
`;
}

export async function startProsody(dir: string, files: number): Promise<PeerProcess> {
	const port = await freePort();
	await mkdir(join(dir, 'data'), { recursive: true });
	const path = join(dir, 'prosody.cfg.lua');
	await writeFile(path, config(dir, port));
	return startPeerProcess({
		name: 'prosody',
		command: 'prosody',
		args: ['--config', path, '-F'],
		port,
		cwd: dir,
		files,
		startupMs: 20_000,
	});
}
