import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, type Logger } from '../domain/logger.js';
import { openBackend, type BackendChoice } from '../cli/backends.js';
import { adminParts, adminTarget } from './admin-target.js';
import type { AdminTarget } from './control-protocol.js';
import { loggerOverLines } from './line-logger.js';

export type LocalAdmin = { readonly target: AdminTarget; close(): Promise<void> };

/**
 * The admin commands on the data itself, with no server between: the data folder (locked while
 * open, so never while a server runs on it) or a cluster's database. In a folder, what is done is
 * written to DATA/server.log, where the UI-hosted server logs too.
 */
export async function openLocalAdmin(choice: BackendChoice): Promise<LocalAdmin> {
	const logger: Logger =
		choice.storeUrl === undefined ? folderLogger(choice.dataDir) : silentLogger;
	const backend = await openBackend(choice);
	return {
		target: adminTarget(adminParts(backend, logger)),
		close: () => backend.close(),
	};
}

function folderLogger(dataDir: string): Logger {
	const file = join(dataDir, 'server.log');
	return loggerOverLines((line) => {
		try {
			appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
		} catch {
			// The change is made either way; an unwritable log does not undo it.
		}
	});
}
