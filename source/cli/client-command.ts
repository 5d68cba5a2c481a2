import { InvalidArgumentError, type Command } from 'commander';
import { configDirVariable } from '../client/cookie-store.js';
import { isValidName } from '../client/names.js';
import { defaultServer } from '../client/server-address.js';
import { serverVariable, type ClientFlags } from './client-runner.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { readStdin } from './read-stdin.js';

export const nameRule = 'names are 1-32 characters of a-z, 0-9, _, - and .';

/** commander argument parser for a user or group name (lower-cased). */
export function name(value: string): string {
	if (!isValidName(value)) throw new InvalidArgumentError(nameRule);
	return value.toLowerCase();
}

export function collectNames(value: string, previous: string[] = []): string[] {
	return [...previous, name(value)];
}

/** A subcommand with the flags every scripting command shares, and usage errors exiting 2. */
export function clientCommand(parent: Command, command: string, description: string): Command {
	return parent
		.command(command)
		.description(description)
		.option(
			'--server <address>',
			`server as host:port, or tls://host:port (default: $${serverVariable} or ${defaultServer})`,
		)
		.option(
			'--config <dir>',
			`where logins are kept (default: $${configDirVariable} or your user config folder)`,
		)
		.option('--ca <file>', 'certificate authority (PEM) to trust for a tls:// server')
		.option('--json', 'print machine-readable JSON on stdout')
		.showHelpAfterError(
			`(see korichat ${parent.parent ? `${parent.name()} ` : ''}${command} --help)`,
		)
		.configureOutput({
			outputError: (text, write) => write(`korichat: ${text.replace(/^error: /, '')}`),
		})
		.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : ExitCode.usage))
		.hook('preAction', inheritConnectionFlags);
}

/** `korichat --server X users` means the same as `korichat users --server X`. */
function inheritConnectionFlags(command: Command): void {
	const inherited = command.optsWithGlobals();
	for (const name of ['server', 'config', 'ca']) {
		if (command.getOptionValue(name) === undefined && inherited[name] !== undefined) {
			command.setOptionValue(name, inherited[name]);
		}
	}
}

/** The flags of a scripting command, shared and its own. */
export type Flags = ClientFlags & Record<string, unknown>;

/** The words given, or standard input for "-" (or for nothing, when stdin is not a terminal). */
export async function messageText(words: readonly string[]): Promise<string> {
	const fromStdin =
		(words.length === 1 && words[0] === '-') || (words.length === 0 && !process.stdin.isTTY);
	if (!fromStdin) {
		if (words.length === 0)
			throw new UsageError('no message: give the text, or "-" to read it from standard input');
		return words.join(' ');
	}
	// One final line break is the shell's, not the message's.
	const text = (await readStdin()).replace(/\r?\n$/, '');
	if (text.trim() === '') throw new UsageError('no message: standard input was empty');
	return text;
}
