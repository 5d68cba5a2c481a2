import type { Command } from 'commander';
import { clientCommand, messageText, name, type Flags } from './client-command.js';
import { runClientCommand } from './client-runner.js';
import { formatFound, formatUnread, printJson, printLines } from './client-output.js';
import { UsageError } from './exit-codes.js';
import { wholeNumber } from './parse.js';
import { newPasswordVariable, passwordVariable, readPassword } from './password-prompt.js';

const stdinHelp =
	'\nWith "-" as the text, or no text and standard input not a terminal, the text is read from standard input.';

/** Adds `edit`, `delete`, `search`, `unread` and `passwd` (PROTOCOL.md §7) to `program`. */
export function registerConversationCommands(program: Command): void {
	clientCommand(program, 'edit', 'replace the text of one of your messages')
		.argument('<id>', 'the message id (from send, search or history --json)', wholeNumber(1))
		.argument('[text...]', 'the new text ("-" reads it from standard input)')
		.addHelpText('after', stdinHelp)
		.action(async (id: number, words: string[], flags: Flags) => {
			const run = { session: true, prepare: () => messageText(words) };
			await runClientCommand(flags, run, async ({ client, json }, text) => {
				const edited = await client.edit(id, text);
				if (json) printJson(edited);
				else printLines([`edited message ${edited.id}`]);
			});
		});

	clientCommand(program, 'delete', 'delete a message (yours, or any in a group you run)')
		.argument('<id>', 'the message id', wholeNumber(1))
		.action(async (id: number, flags: Flags) => {
			await runClientCommand(flags, { session: true }, async ({ client, json }) => {
				await client.deleteMessage(id);
				if (json) printJson({ id, deleted: true });
				else printLines([`deleted message ${id}`]);
			});
		});

	clientCommand(program, 'search', 'find messages holding every word, newest first')
		.argument('<words...>', 'whole words, any case; end one with * to match its beginning')
		.option('--in <target>', 'only the conversation with this user or group', name)
		.option('--limit <n>', 'how many messages (default 20, at most 100)', wholeNumber(1, 100))
		.option('--before <id>', 'only messages older than this message id', wholeNumber(1))
		.addHelpText('after', '\nEach line starts with the message id. Times are local (set TZ).')
		.action(
			async (words: string[], flags: Flags & { in?: string; limit?: number; before?: number }) => {
				const run = { session: true, prepare: () => searchQuery(words) };
				await runClientCommand(flags, run, async ({ client, json }, query) => {
					const found = await client.search(query, {
						in: flags.in,
						limit: flags.limit,
						before: flags.before,
					});
					if (json) printJson(found);
					else if (found.length === 0) printLines([`no messages match ${JSON.stringify(query)}`]);
					else printLines(formatFound(found));
				});
			},
		);

	clientCommand(
		program,
		'unread',
		'list your conversations, newest first, with unread counts',
	).action(async (flags: Flags) => {
		await runClientCommand(flags, { session: true }, async ({ client, json }) => {
			const conversations = await client.unread();
			if (json) printJson(conversations);
			else if (conversations.length === 0) printLines(['no conversations yet']);
			else printLines(formatUnread(conversations));
		});
	});

	clientCommand(program, 'passwd', 'change your password; your other sessions are logged out')
		.addHelpText(
			'after',
			`\nThe current password comes from $${passwordVariable}, the new one from $${newPasswordVariable}; each else from a hidden prompt.`,
		)
		.action(async (flags: Flags) => {
			const run = { session: true, passwordChecked: true, prepare: readPasswordChange };
			await runClientCommand(flags, run, async ({ client, address, json }, { current, next }) => {
				await client.changePassword(current, next);
				if (json) printJson({ user: client.user, server: address.key, changed: true });
				else
					printLines([`password changed for ${client.user}; your other sessions are logged out`]);
			});
		});
}

/** The words as one query; blank, or longer than the server takes (§7.6), is a usage error. */
async function searchQuery(words: readonly string[]): Promise<string> {
	const query = words.join(' ').replace(/\s+/g, ' ').trim();
	if (!/[\p{L}\p{N}]/u.test(query)) {
		throw new UsageError('nothing to search for: give at least one word of letters or digits');
	}
	if ([...query].length > 200)
		throw new UsageError('the search is too long: at most 200 characters');
	return query;
}

/** The current password, then the new one twice (or from the environment), checked locally first. */
async function readPasswordChange(): Promise<{ current: string; next: string }> {
	const current = await readPassword({ label: 'Current password' });
	const next = await readPassword({
		label: 'New password',
		variable: newPasswordVariable,
		confirm: true,
	});
	// The server's rule (PROTOCOL.md §3), checked before anything is sent.
	const length = [...next].length;
	if (length < 8 || length > 256) {
		throw new UsageError('the new password must be 8 to 256 characters; nothing was changed');
	}
	return { current, next };
}
