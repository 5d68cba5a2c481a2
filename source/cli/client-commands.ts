import type { Command } from 'commander';
import { runClientCommand } from './client-runner.js';
import { clientCommand, messageText, name, type Flags } from './client-command.js';
import {
	formatGroups,
	formatHistory,
	formatUsers,
	printJson,
	printLines,
} from './client-output.js';
import { registerConversationCommands } from './conversation-commands.js';
import { exitCodesHelp } from './exit-codes.js';
import { registerGroupCommands } from './group-commands.js';
import { wholeNumber } from './parse.js';
import { passwordVariable, readPassword } from './password-prompt.js';

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
		.option('--reply-to <id>', 'answer this message of the same conversation', wholeNumber(1))
		.action(async (target: string, words: string[], flags: Flags & { replyTo?: number }) => {
			const run = { session: true, prepare: () => messageText(words) };
			await runClientCommand(flags, run, async ({ client, json }, text) => {
				const { replyTo } = flags;
				const id = await client.send(target, text, { replyTo });
				if (json)
					printJson(replyTo === undefined ? { id, to: target } : { id, to: target, replyTo });
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

	registerConversationCommands(program);
	registerGroupCommands(program);
	program.addHelpText(
		'after',
		`\nScripting commands log in once (\`korichat login <user>\`) and reuse the session for that server.\nPasswords come from $${passwordVariable} or a hidden prompt, never from the command line.\n${exitCodesHelp}\n`,
	);
}
