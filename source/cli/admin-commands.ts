import type { Command } from 'commander';
import { name } from './client-command.js';
import { printJson, printLines } from './client-output.js';
import {
	endedSessions,
	formatAdminGroups,
	formatAdminSessions,
	formatAdminStats,
	formatAdminUsers,
	formatBytes,
} from './admin-output.js';
import { runAdminCommand, type AdminContext, type AdminFlags } from './admin-runner.js';
import { runRestore } from './admin-restore.js';
import { ExitCode, UsageError } from './exit-codes.js';
import { passwordVariable, readPassword } from './password-prompt.js';

const adminHelp = `
How it reaches the data: with --store, the PostgreSQL database directly (add --bus so that every
node hears of ended sessions at once); else the running server's control socket DATA/control.sock
(owner-only); else, when no server runs, the data folder directly (taking its lock).

Exit codes:
  0  done
  1  refused: an unknown user or group, a taken name, a bad password
  2  usage: a bad argument or flag, or no password available (set ${passwordVariable}, or use a terminal)
  4  a server holds the data folder but its control socket does not answer`;

/** A leaf of `korichat admin` with the flags they all share; usage errors exit 2. */
function adminCommand(parent: Command, command: string, description: string): Command {
	return parent
		.command(command)
		.description(description)
		.option('--data <dir>', "the server's data folder (default: as for --serve)")
		.option('--store <url>', 'a postgres:// cluster database instead (or KORICHAT_STORE)')
		.option('--bus <url>', "with --store: the cluster's redis:// bus (or KORICHAT_BUS)")
		.option('--json', 'print machine-readable JSON on stdout')
		.showHelpAfterError(`(see korichat admin ${command} --help)`)
		.configureOutput({
			outputError: (text, write) => write(`korichat: ${text.replace(/^error: /, '')}`),
		})
		.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : ExitCode.usage))
		.hook('preAction', inheritDestination);
}

/** `korichat --data X admin users` means the same as `korichat admin users --data X`. */
function inheritDestination(command: Command): void {
	const inherited = command.optsWithGlobals();
	for (const flag of ['data', 'store', 'bus']) {
		if (command.getOptionValue(flag) === undefined && inherited[flag] !== undefined) {
			command.setOptionValue(flag, inherited[flag]);
		}
	}
}

type Flags = AdminFlags & {
	readonly name?: string;
	readonly force?: boolean;
	readonly overwrite?: boolean;
};

/** After ending sessions with --store and no --bus: what the operator should know. */
function busNote(context: AdminContext): string[] {
	if (!context.busless) return [];
	return [
		'(no --bus: connections open on the servers stay logged in until their hourly session check)',
	];
}

const say = (context: AdminContext, json: unknown, lines: readonly string[]) => {
	if (context.json) printJson(json);
	else printLines(lines);
};

/** Adds `korichat admin …`: the operator's commands, for a running server or its data. */
export function registerAdminCommands(program: Command): void {
	const admin = program
		.command('admin')
		.description('manage accounts, groups and backups of a server (see korichat admin --help)')
		.addHelpText('after', adminHelp)
		.showHelpAfterError('(see korichat admin --help)')
		.configureOutput({
			outputError: (text, write) => write(`korichat: ${text.replace(/^error: /, '')}`),
		})
		.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : ExitCode.usage));

	adminCommand(
		admin,
		'users',
		'list every account, with its sessions and whether it is disabled',
	).action(async (flags: Flags) => {
		await runAdminCommand(flags, {}, async (context) => {
			const users = await context.target.users();
			say(context, users, formatAdminUsers(users));
		});
	});

	adminCommand(admin, 'groups', 'list every group, with its owner and size').action(
		async (flags: Flags) => {
			await runAdminCommand(flags, {}, async (context) => {
				const groups = await context.target.groups();
				say(context, groups, formatAdminGroups(groups));
			});
		},
	);

	adminCommand(
		admin,
		'create-user',
		`create an account (password from $${passwordVariable} or a prompt)`,
	)
		.argument('<user>', 'the new user name', name)
		.option('--name <display name>', 'the name others see (default: the user name)')
		.action(async (user: string, flags: Flags) => {
			const prepare = () => readPassword({ confirm: true, user });
			await runAdminCommand(flags, { prepare }, async (context, password) => {
				const created = await context.target.createUser(user, password, flags.name);
				say(context, created, [`created ${created.name}`]);
			});
		});

	adminCommand(
		admin,
		'reset-password',
		`set a new password (from $${passwordVariable} or a prompt) and end every session of the user`,
	)
		.argument('<user>', 'the user', name)
		.action(async (user: string, flags: Flags) => {
			const prepare = () => readPassword({ confirm: true, user, label: 'New password' });
			await runAdminCommand(flags, { prepare }, async (context, password) => {
				const done = await context.target.resetPassword(user, password);
				say(context, { user, ...done }, [
					`reset the password of ${user}; ${endedSessions(done.endedSessions)}`,
					...busNote(context),
				]);
			});
		});

	adminCommand(admin, 'disable', 'shut an account out: it cannot log in, its sessions end')
		.argument('<user>', 'the user', name)
		.action(async (user: string, flags: Flags) => {
			await runAdminCommand(flags, {}, async (context) => {
				const done = await context.target.disable(user);
				say(context, { user, disabled: true, ...done }, [
					`disabled ${user}; ${endedSessions(done.endedSessions)}`,
					...busNote(context),
				]);
			});
		});

	adminCommand(admin, 'enable', 'let a disabled account log in again')
		.argument('<user>', 'the user', name)
		.action(async (user: string, flags: Flags) => {
			await runAdminCommand(flags, {}, async (context) => {
				await context.target.enable(user);
				say(context, { user, disabled: false }, [`enabled ${user}`]);
			});
		});

	adminCommand(admin, 'delete-group', 'delete a group and its messages; its members are told')
		.argument('<group>', 'the group', name)
		.action(async (group: string, flags: Flags) => {
			await runAdminCommand(flags, {}, async (context) => {
				await context.target.deleteGroup(group);
				say(context, { group, deleted: true }, [`deleted the group ${group}`]);
			});
		});

	adminCommand(admin, 'sessions', "list a user's live sessions")
		.argument('<user>', 'the user', name)
		.action(async (user: string, flags: Flags) => {
			await runAdminCommand(flags, {}, async (context) => {
				const sessions = await context.target.sessions(user);
				say(context, sessions, formatAdminSessions(user, sessions));
			});
		});

	adminCommand(
		admin,
		'stats',
		'counts, queue depth, storage size, and the live connections',
	).action(async (flags: Flags) => {
		await runAdminCommand(flags, {}, async (context) => {
			const stats = await context.target.stats();
			say(context, stats, formatAdminStats(stats));
		});
	});

	adminCommand(admin, 'backup', "write a consistent, restorable copy of a server's database")
		.argument('<file>', 'the backup file to write (outside the data folder)')
		.option('--overwrite', 'replace the file if it exists')
		.action(async (file: string, flags: Flags) => {
			const prepare = async () => refuseOnPostgres(flags);
			await runAdminCommand(flags, { prepare }, async (context) => {
				const written = await context.target.backup(file, flags.overwrite ?? false);
				say(context, written, [
					`backup written to ${written.file} (${formatBytes(written.bytes)})`,
				]);
			});
		});

	adminCommand(admin, 'restore', 'restore a backup into a stopped, empty data folder')
		.argument('<file>', 'the backup file')
		.option('--force', 'replace the data already in the folder')
		.action(async (file: string, flags: Flags) => {
			await runRestore(flags, file, flags.force ?? false);
		});
}

/** PostgreSQL has its own tools for this. */
function refuseOnPostgres(flags: Flags): void {
	if (flags.store !== undefined || (process.env.KORICHAT_STORE ?? '') !== '') {
		throw new UsageError(
			'a PostgreSQL store is backed up with pg_dump (e.g. pg_dump -Fc -f korichat.dump DATABASE_URL; see docs/operating.md "Backups")',
		);
	}
}
