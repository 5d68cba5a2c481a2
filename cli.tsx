#!/usr/bin/env node
import './source/cli/production-mode.js';
import { Command } from 'commander';
import { registerAdminCommands } from './source/cli/admin-commands.js';
import { registerClientCommands } from './source/cli/client-commands.js';
import { oneOf, wholeNumber } from './source/cli/parse.js';
import { logFormats, logLevels } from './source/operating/logging.js';
import { runDefault } from './source/cli/open-ui.js';
import { defaultPort } from './source/protocol/frame.js';

const program = new Command()
	.name('korichat')
	.description('Self-hosted terminal chat: host a CHAT/1.0 server, or chat on one.')
	.option('--serve', 'host a KoriChat server')
	.option('--headless', 'with --serve: run only the server, without the chat UI')
	.option('--host <address>', 'address to listen on', '127.0.0.1')
	.option('--port <port>', 'TCP port (0 takes a free one)', wholeNumber(0, 65535), defaultPort)
	.option('--data <dir>', 'data folder (default: your user data folder)')
	.option('--store <url>', 'cluster: a postgres:// database instead of --data (or KORICHAT_STORE)')
	.option('--bus <url>', 'cluster: the redis:// bus between nodes; needs --store (or KORICHAT_BUS)')
	.option('--rate-limit <n>', 'requests per second per connection, 0 = off', wholeNumber(0), 20)
	.option('--max-body <bytes>', 'largest message body accepted', wholeNumber(1), 64 * 1024)
	.option('--frame-timeout <seconds>', 'time allowed to finish a frame', wholeNumber(1), 30)
	.option('--max-connections-per-ip <n>', 'connections per address, 0 = off', wholeNumber(0), 16)
	.option('--limit-loopback', 'apply --max-connections-per-ip to loopback addresses too')
	.option(
		'--output-timeout <seconds>',
		'drop a client whose output stalls this long',
		wholeNumber(1),
		60,
	)
	.option('--tls-cert <file>', 'serve TLS with this certificate chain (PEM); needs --tls-key')
	.option('--tls-key <file>', 'the private key (PEM) of --tls-cert')
	.option('--log-format <format>', 'server log: json lines or pretty', oneOf(logFormats), 'json')
	.option('--log-level <level>', 'server log: debug, info, warn or error', oneOf(logLevels), 'info')
	.option(
		'--snapshot-after <bytes>',
		'sql.js: journal bytes after which a snapshot replaces the journal (default 64 MiB)',
		wholeNumber(1),
	)
	.option('--metrics <host:port>', 'serve Prometheus /metrics and /healthz here (off by default)')
	.option('--server <address>', 'chat UI: the server to connect to (default 127.0.0.1:5674)')
	.option('--config <dir>', 'chat UI: where logins are kept (as for the scripting commands)')
	.option('--ca <file>', 'chat UI: certificate authority (PEM) for a tls:// server')
	.option('--no-bell', 'chat UI: no terminal bell for mentions and direct messages')
	// A bad flag is one line (the whole help after it would bury the reason); --help lists them.
	.enablePositionalOptions();

registerClientCommands(program);
registerAdminCommands(program);

program.action(runDefault);

try {
	await program.parseAsync();
} catch (error) {
	process.stderr.write(`korichat: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
