import { join } from 'node:path';
import type { Logger } from '../domain/logger.js';
import { openBackend, type BackendChoice } from '../cli/backends.js';
import { adminParts, adminTarget } from './admin-target.js';
import type { AdminTarget } from './control-protocol.js';
import { createLogger } from './logging.js';

export type LocalAdmin = { readonly target: AdminTarget; close(): Promise<void> };

/**
 * The admin commands on the data itself, with no server between: the data folder (locked while
 * open, so never while a server runs on it) or a cluster's database. What is done is logged
 * (adminLogger).
 */
export async function openLocalAdmin(choice: BackendChoice): Promise<LocalAdmin> {
	const logger = adminLogger(choice);
	const backend = await openBackend(choice);
	return {
		target: adminTarget(adminParts(backend, logger)),
		close: () => backend.close(),
	};
}

/**
 * In a folder: DATA/server.log, where the servers of that folder log. On a cluster's database:
 * standard error, for whoever runs the command (a shell, a timer's journal) to keep.
 */
function adminLogger(choice: BackendChoice): Logger {
	const destination =
		choice.storeUrl === undefined
			? { kind: 'file' as const, path: join(choice.dataDir, 'server.log') }
			: { kind: 'stderr' as const };
	return createLogger({ format: 'json', level: 'info', destination });
}
