import { reachControlSocket } from '../operating/control-client.js';
import { restoreBackup } from '../storage/backup.js';
import { DataFolderInUseError, lockDataFolder } from '../storage/data-folder-lock.js';
import { printJson, printLines } from './client-output.js';
import { failWith, destination, type AdminFlags } from './admin-runner.js';
import { formatBytes } from './admin-output.js';
import { ExitCode, UsageError } from './exit-codes.js';

/** A restore refused because a server runs on the folder. */
class ServerRunningError extends Error {}

/**
 * `korichat admin restore <file>`: offline only. The folder's lock refuses a running server's
 * folder too; asking its socket first gives the reason before the backup file is even read.
 */
export async function runRestore(flags: AdminFlags, file: string, force: boolean): Promise<void> {
	try {
		const { dataDir, storeUrl } = destination(flags);
		if (storeUrl !== undefined) {
			throw new UsageError(
				'a PostgreSQL store is restored with pg_restore (see docs/operating.md "Backups"), not by korichat',
			);
		}
		const reach = await reachControlSocket(dataDir, { answerMs: 3000, commandMs: 3000 });
		if (reach.kind === 'connected') reach.admin.close();
		if (reach.kind !== 'absent') {
			throw new ServerRunningError(
				`a KoriChat server${await holderOf(dataDir)} is running on ${dataDir}: stop it before restoring into the folder`,
			);
		}
		const restored = await restoreBackup(file, dataDir, { force });
		if (flags.json) printJson(restored);
		else {
			const replaced =
				restored.replaced.length > 0 ? `; replaced ${restored.replaced.join(', ')}` : '';
			printLines([
				`restored ${file} into ${restored.dataDir}: ${restored.users} users, ${restored.messages} messages (${formatBytes(restored.bytes)})${replaced}`,
			]);
		}
	} catch (error) {
		failWith(error);
	}
	process.exit(ExitCode.ok);
}

/** " (pid N)" for the process holding the folder's lock, or "" when none can be named. */
async function holderOf(dataDir: string): Promise<string> {
	try {
		await (await lockDataFolder(dataDir)).release();
		return '';
	} catch (error) {
		return error instanceof DataFolderInUseError ? ` (pid ${error.holderPid})` : '';
	}
}
