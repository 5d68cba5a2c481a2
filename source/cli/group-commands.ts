import { InvalidArgumentError, type Command } from 'commander';
import { isValidName } from '../client/names.js';
import type { Invitation } from '../client/types.js';
import { clientCommand, collectNames, name, nameRule, type Flags } from './client-command.js';
import { runClientCommand } from './client-runner.js';
import { printJson, printLines } from './client-output.js';
import { ExitCode } from './exit-codes.js';

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

/** `korichat group create|add|remove|leave|delete`. */
export function registerGroupCommands(program: Command): void {
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
