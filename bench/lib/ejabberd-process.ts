import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startPeerProcess, type PeerProcess } from './peer-process.js';
import { debianVersion, mucDomain, xmppDomain } from './prosody-process.js';

const libraries = '/usr/lib/x86_64-linux-gnu';

/** ejabberd's version when it and its SQLite driver are installed, else what is missing. */
export function findEjabberd(): { version: string } | { missing: string } {
	const installed = existsSync(libraries)
		? readdirSync(libraries).some((name) => name.startsWith('ejabberd-'))
		: false;
	if (!installed || !existsSync('/usr/bin/erl')) return { missing: 'ejabberd is not installed' };
	const driver = existsSync('/usr/lib/erlang/lib')
		? readdirSync('/usr/lib/erlang/lib').some((name) => name.startsWith('p1_sqlite3-'))
		: false;
	if (!driver) return { missing: 'erlang-p1-sqlite3 (ejabberd’s SQLite driver) is not installed' };
	return { version: `ejabberd ${debianVersion('ejabberd') ?? ''}`.trim() };
}

/**
 * A config of our own in `dir`, never /etc/ejabberd: loopback only, one c2s port without TLS or a
 * shaper, no s2s or HTTP listeners, in-band registration open (no per-IP registration timeout),
 * plain password storage (a login costs what KoriChat's cookie bind costs). Everything in SQL on
 * SQLite, not Mnesia (which keeps tables in RAM and dumps them lazily, so it never fsyncs a
 * message): mod_mam archives every chat message (both parties' archives) and every room message,
 * mod_offline what arrives for an offline user. ejabberd's SQLite driver sets only
 * `pragma foreign_keys = on`, so SQLite runs with its defaults (rollback journal,
 * synchronous=FULL: an fsync per commit), and each archive row is an autocommitted INSERT.
 */
function config(dir: string, port: number): string {
	return `hosts: ["${xmppDomain}"]
loglevel: error
log_rotate_count: 0
hide_sensitive_log_data: true
certfiles: []
sql_type: sqlite
sql_database: "${join(dir, 'ejabberd.db')}"
default_db: sql
auth_method: sql
auth_password_format: plain
registration_timeout: infinity
listen:
  - port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: false
    starttls_required: false
    max_stanza_size: 262144
    shaper: none
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
  register:
    allow: all
shaper_rules:
  max_user_sessions: 100000
  c2s_shaper: none
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_register:
    ip_access: all
    access: register
  mod_offline:
    access_max_user_messages: 1000000000
  mod_mam:
    default: always
  mod_muc:
    host: "${mucDomain}"
    access: all
    access_create: all
    access_persistent: all
    max_users: 5000
    max_users_presence: 5000
    history_size: 0
    default_room_options:
      max_users: 5000
      mam: true
      persistent: false
      presence_broadcast: [moderator]
`;
}

/**
 * ejabberd as a plain, non-distributed Erlang node (`erl -noinput -s ejabberd`, no -sname): no epmd,
 * no ejabberdctl; config, SQLite file, Mnesia schema and logs all in `dir`.
 */
export async function startEjabberd(dir: string, files: number): Promise<PeerProcess> {
	const port = await freePort();
	const path = join(dir, 'ejabberd.yml');
	await mkdir(join(dir, 'mnesia'), { recursive: true });
	await writeFile(path, config(dir, port));
	return startPeerProcess({
		name: 'ejabberd',
		command: 'erl',
		args: [
			'+K',
			'true',
			'+P',
			'1000000',
			'-noinput',
			'-mnesia',
			'dir',
			JSON.stringify(join(dir, 'mnesia')),
			'-s',
			'ejabberd',
		],
		port,
		cwd: dir,
		env: {
			ERL_LIBS: libraries,
			EJABBERD_CONFIG_PATH: path,
			EJABBERD_LOG_PATH: join(dir, 'ejabberd.log'),
			ERL_CRASH_DUMP: join(dir, 'erl_crash.dump'),
			ERL_MAX_PORTS: String(files + 1000),
		},
		files,
		startupMs: 60_000,
	});
}
