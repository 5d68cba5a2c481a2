import { AdminService } from '../domain/admin.js';
import type { AdminCommands } from '../domain/admin-types.js';
import type { Logger } from '../domain/logger.js';
import type { ScryptParameters } from '../domain/passwords.js';
import type { ChatBackend } from '../server/backend.js';
import { backupChatStore } from '../storage/backup.js';
import { SqlChatStore } from '../storage/sql-chat-store.js';
import type { AdminTarget, BackupSummary } from './control-protocol.js';

export type AdminParts = {
	readonly admin: AdminCommands;
	/** Absent on PostgreSQL, which is backed up with pg_dump. */
	readonly backup?: (file: string, overwrite: boolean) => Promise<BackupSummary>;
};

/** The admin commands over a backend (a running server's, or one opened for the command alone). */
export function adminParts(
	backend: ChatBackend,
	logger: Logger,
	options: { readonly clock?: () => number; readonly scrypt?: ScryptParameters } = {},
): AdminParts {
	const { store, bus, throttle } = backend;
	const admin = new AdminService({
		store,
		bus,
		throttle,
		logger,
		clock: options.clock ?? Date.now,
		...(options.scrypt === undefined ? {} : { scrypt: options.scrypt }),
	});
	if (!(store instanceof SqlChatStore)) return { admin };
	return {
		admin,
		async backup(file, overwrite) {
			const {
				file: written,
				bytes,
				lastMessageId,
			} = await backupChatStore(store, file, {
				overwrite,
			});
			return { file: written, bytes, lastMessageId };
		},
	};
}

/** AdminCommands plus `backup`, as one object (methods bound, so it may be passed around). */
export function adminTarget({ admin, backup }: AdminParts): AdminTarget {
	return {
		users: () => admin.users(),
		groups: () => admin.groups(),
		createUser: (name, password, displayName) => admin.createUser(name, password, displayName),
		resetPassword: (name, password) => admin.resetPassword(name, password),
		disable: (name) => admin.disable(name),
		enable: (name) => admin.enable(name),
		deleteGroup: (name) => admin.deleteGroup(name),
		sessions: (name) => admin.sessions(name),
		stats: () => admin.stats(),
		async backup(file, overwrite = false) {
			if (!backup) {
				throw new Error(
					'a PostgreSQL store is backed up with pg_dump (see docs/operating.md "Backups"), not by korichat',
				);
			}
			return backup(file, overwrite);
		},
	};
}
