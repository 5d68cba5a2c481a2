#!/usr/bin/env node
import { Command } from 'commander';
import { wholeNumber } from './source/cli/parse.js';
import { serve } from './source/cli/serve.js';
import { defaultPort } from './source/protocol/frame.js';

const program = new Command()
	.name('korichat')
	.description('Self-hosted terminal chat: host a CHAT/1.0 server, or chat on one.')
	.option('--serve', 'host a KoriChat server')
	.option('--headless', 'with --serve: run only the server, without the chat UI')
	.option('--host <address>', 'address to listen on', '127.0.0.1')
	.option('--port <port>', 'TCP port (0 takes a free one)', wholeNumber(0, 65535), defaultPort)
	.option('--data <dir>', 'data folder (default: your user data folder)')
	.option('--rate-limit <n>', 'requests per second per connection, 0 = off', wholeNumber(0), 20)
	.option('--max-body <bytes>', 'largest message body accepted', wholeNumber(1), 64 * 1024)
	.option('--frame-timeout <seconds>', 'time allowed to finish a frame', wholeNumber(1), 30)
	.showHelpAfterError();

program.action(async (flags) => {
	if (!flags.serve) {
		program.error('the chat UI is not there yet: run `korichat --serve` to host a server');
	}
	await serve(flags);
});

try {
	await program.parseAsync();
} catch (error) {
	process.stderr.write(`korichat: ${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
}
