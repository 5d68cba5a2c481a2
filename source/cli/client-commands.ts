import { InvalidArgumentError, type Command } from 'commander';
import { configDirVariable } from '../client/cookie-store.js';
import { isValidName } from '../client/names.js';
import { defaultServer } from '../client/server-address.js';
import type { Invitation } from '../client/types.js';
import { runClientCommand, serverVariable, type ClientFlags } from './client-runner.js';
import {
	formatGroups,
	formatHistory,
	formatUsers,
	printJson,
	printLines,
} from './client-output.js';
import { ExitCode, exitCodesHelp, UsageError } from './exit-codes.js';
import { wholeNumber } from './parse.js';
import { passwordVariable, readPassword } from './password-prompt.js';
import { readStdin } from './read-stdin.js';

const nameRule = 'names are 1-32 characters of a-z, 0-9, _, - and .';

function name(value: string): string {
	if (!isValidName(value)) throw new InvalidArgumentError(nameRule);
	return value.toLowerCase();
}

/** `user` or `user:role` (role admin or user), for `group add`. */
function invitation(value: string, previous: Invitation[] = []): Invitation[] {
	const [user = '', role, extra] = value.split(':');
	if (!isValidName(user) || extra !== undefined) throw new InvalidArgumentError(nameRule);
	if (role !== undefined && role !== 'admin' && role !== 'user') {
		throw new InvalidArgumentError(`the role in "${value}" must be admin or user`);
	}
	const lower = user.toLowerCase();
	return [...previous, role === undefined ? { user: lower } : { user: lower, role }];
}

function collectNames(value: string, previous: string[] = []): string[] {
	return [...previous, name(value)];
}

/** A subcommand with the flags every scripting command shares, and usage errors exiting 2. */
function clientCommand(parent: Command, command: string, description: string): Command {
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

type Flags = ClientFlags & Record<string, unknown>;

/** Adds the scripting commands (register, login, send, history, group …) to `program`. */
export function registerClientCommands(program: Command): void {
	clientCommand(
		program,
		'register',
		'create an account (password from $KORICHAT_PASSWORD or a prompt)',
	)
		.argument('<user>', 'the new user name', name)
		.option('--name <display name>', 'the name others see (default: the user name)')
		.action(async (user: string, flags: Flags & { name?: string }) => {
			const prepare = () => readPassword({ confirm: true, user });
			await runClientCommand(
				flags,
				{ session: false, prepare },
				async ({ client, json }, password) => {
					const created = await client.register(user, password, flags.name);
					if (json) printJson(created);
					else printLines([`registered ${created.name}; now run: korichat login ${created.name}`]);
				},
			);
		});

	clientCommand(program, 'login', 'log in and keep the session for later commands')
		.argument('<user>', 'your user name', name)
		.action(async (user: string, flags: Flags) => {
			const prepare = () => readPassword({ user });
			const run = { session: false, prepare };
			await runClientCommand(flags, run, async ({ client, address, json }, password) => {
				const session = await client.login(user, password);
				if (json) printJson({ user: session.user, server: address.key });
				else printLines([`logged in as ${session.user} on ${address.key}`]);
			});
		});

	clientCommand(program, 'logout', 'end the session and forget it').action(async (flags: Flags) => {
		const run = { session: true, expiredSessionIsFine: true };
		await runClientCommand(flags, run, async ({ client, address, json }) => {
			const user = client.user;
			// The server had already forgotten the session, and connect() forgot it here too.
			if (user !== undefined) await client.logout();
			if (json) printJson({ user: user ?? null, server: address.key });
			else if (user === undefined) printLines([`the session on ${address.key} had already ended`]);
			else printLines([`logged out of ${address.key}`]);
		});
	});

	clientCommand(program, 'users', "list everyone (● online, ○ offline), or a group's members")
		.argument('[group]', "list only this group's members, with their role", name)
		.action(async (group: string | undefined, flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const users = await client.listUsers(group);
				if (json) printJson(users);
				else printLines(formatUsers(users));
			});
		});

	clientCommand(program, 'groups', 'list your groups, your role and their size').action(
		async (flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const groups = await client.listGroups();
				if (json) printJson(groups);
				else printLines(formatGroups(groups));
			});
		},
	);

	clientCommand(program, 'send', 'send a message to a user or a group')
		.argument('<target>', 'a user or a group', name)
		.argument('[text...]', 'the message ("-" reads it from standard input)')
		.addHelpText(
			'after',
			'\nWith "-" as the text, or no text and standard input not a terminal, the message is read from standard input.',
		)
		.action(async (target: string, words: string[], flags: Flags) => {
			const run = { session: true, prepare: () => messageText(words) };
			await runClientCommand(flags, run, async ({ client, json }, text) => {
				const id = await client.send(target, text);
				if (json) printJson({ id, to: target });
				else printLines([`sent message ${id} to ${target}`]);
			});
		});

	clientCommand(program, 'history', 'show a conversation with a user or a group, oldest first')
		.argument('<target>', 'a user or a group', name)
		.option('--before <id>', 'only messages older than this message id', wholeNumber(1))
		.option('--limit <n>', 'how many messages (default 50, at most 500)', wholeNumber(1, 500))
		.addHelpText('after', '\nTimes are local (set TZ for another zone).')
		.action(async (target: string, flags: Flags & { before?: number; limit?: number }) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const { messages, more } = await client.historyPage(target, {
					before: flags.before,
					limit: flags.limit,
				});
				if (json) printJson(messages);
				else if (messages.length === 0) printLines([`no messages with ${target}`]);
				else printLines(formatHistory(messages));
				// The server cut the page at about 1 MiB: say how to read on.
				if (more && !json) {
					printLines([`(older messages remain: --before ${messages[0]!.id})`]);
				}
			});
		});

	registerGroupCommands(program);
	program.addHelpText(
		'after',
		`\nScripting commands log in once (\`korichat login <user>\`) and reuse the session for that server.\nPasswords come from $${passwordVariable} or a hidden prompt, never from the command line.\n${exitCodesHelp}\n`,
	);
}

function registerGroupCommands(program: Command): void {
	const group = program
		.command('group')
		.description('create and manage groups: create, add, remove, leave, delete')
		.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : ExitCode.usage));

	clientCommand(group, 'create', 'create a group that you own')
		.argument('<group>', "the new group's name", name)
		.action(async (groupName: string, flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const created = await client.createGroup(groupName);
				if (json) printJson(created);
				else printLines([`created group ${created.name}`]);
			});
		});

	clientCommand(group, 'add', 'add members, or change their role')
		.argument('<group>', 'a group you own or administer', name)
		.argument(
			'<user[:role]...>',
			'members to add; role is admin or user (default user)',
			invitation,
		)
		.action(async (groupName: string, invitations: Invitation[], flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const added = await client.addUsers(groupName, invitations);
				if (json) printJson({ group: groupName, added });
				else if (added.length === 0) printLines(['nothing changed: they were already members']);
				else printLines([`added ${added.join(', ')} to ${groupName}`]);
			});
		});

	clientCommand(group, 'remove', 'remove members')
		.argument('<group>', 'a group you own or administer', name)
		.argument('<user...>', 'members to remove', collectNames)
		.action(async (groupName: string, users: string[], flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				const removed = await client.removeUsers(groupName, users);
				if (json) printJson({ group: groupName, removed });
				else printLines([`removed ${removed.join(', ')} from ${groupName}`]);
			});
		});

	clientCommand(group, 'leave', 'leave a group (its owner deletes it instead)')
		.argument('<group>', 'a group you are a member of', name)
		.action(async (groupName: string, flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				await client.leaveGroup(groupName);
				if (json) printJson({ group: groupName, left: true });
				else printLines([`left ${groupName}`]);
			});
		});

	clientCommand(group, 'delete', 'delete a group you own; its members are told')
		.argument('<group>', 'a group you own', name)
		.action(async (groupName: string, flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				await client.deleteGroup(groupName);
				if (json) printJson({ group: groupName, deleted: true });
				else printLines([`deleted group ${groupName}`]);
			});
		});
}

/** The words given, or standard input for "-" (or for nothing, when stdin is not a terminal). */
async function messageText(words: readonly string[]): Promise<string> {
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
