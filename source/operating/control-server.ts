import { chmod, lstat, unlink } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { isMainThread } from 'node:worker_threads';
import type { AdminCommands, AdminStats } from '../domain/admin-types.js';
import type { Logger } from '../domain/logger.js';
import { adminTarget } from './admin-target.js';
import { answerLine } from './control-dispatch.js';
import {
	controlSocketPath,
	encodeLine,
	LineSplitter,
	maxControlLineBytes,
	socketPathProblem,
	type AdminTarget,
	type BackupSummary,
} from './control-protocol.js';

/** What the running server adds to the admin commands: its live numbers, and a live backup. */
export type ControlServerOptions = {
	readonly dataDir: string;
	readonly admin: AdminCommands;
	readonly live: () => { readonly connections: number; readonly loggedInUsers: number };
	/** Absent: the store cannot be backed up from here (answered with a clear error). */
	readonly backup?: (file: string, overwrite: boolean) => Promise<BackupSummary>;
	readonly logger: Logger;
};

export type ControlServer = {
	readonly path: string;
	/** Stops listening, ends the open control connections and removes the socket file. */
	close(): Promise<void>;
};

/**
 * Serves `korichat admin` on DATA/control.sock, reachable only by the folder's owner (mode 0600;
 * nothing listens on the network). Resolves undefined, after one warning, when the path is too
 * long for a Unix socket: the server then runs without it.
 */
export async function startControlServer(
	options: ControlServerOptions,
): Promise<ControlServer | undefined> {
	const { dataDir, logger } = options;
	const problem = socketPathProblem(dataDir);
	if (problem !== undefined) {
		logger.warn(
			{ event: 'control-socket', action: 'disabled' },
			`${problem}: running without it, so \`korichat admin\` cannot reach this server (use a shorter --data path)`,
		);
		return undefined;
	}
	const path = controlSocketPath(dataDir);
	// The data folder's lock guarantees no other server here, so a socket file left is stale.
	await removeStaleSocket(path);
	const target = liveTarget(options);
	const sockets = new Set<Socket>();
	const server = createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		serveConnection(socket, target, logger);
	});
	await listenOwnerOnly(server, path);
	logger.debug({ event: 'control-socket', action: 'listening', path }, `admin socket on ${path}`);
	let closing: Promise<void> | undefined;
	return {
		path,
		close() {
			closing ??= (async () => {
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				for (const socket of sockets) socket.destroy();
				await stopped;
				await unlink(path).catch(() => undefined);
			})();
			return closing;
		},
	};
}

/** The admin commands with the running server's numbers in `stats`, and a logged `backup`. */
function liveTarget(options: ControlServerOptions): AdminTarget {
	const { admin, live, backup, logger } = options;
	const loggedBackup =
		backup &&
		(async (file: string, overwrite: boolean) => {
			const summary = await backup(file, overwrite);
			logger.info(
				{ event: 'admin', action: 'backup', file: summary.file, bytes: summary.bytes },
				`admin backup written to ${summary.file}`,
			);
			return summary;
		});
	return {
		...adminTarget({ admin, ...(loggedBackup ? { backup: loggedBackup } : {}) }),
		async stats(): Promise<AdminStats> {
			const stats = await admin.stats();
			const { connections, loggedInUsers } = live();
			return { ...stats, connections, loggedInUsers };
		},
	};
}

/** One request at a time per connection, answered in order; a bad line gets an error answer. */
function serveConnection(socket: Socket, target: AdminTarget, logger: Logger): void {
	const lines = new LineSplitter(maxControlLineBytes);
	let queue = Promise.resolve();
	socket.on('error', () => undefined);
	socket.on('data', (chunk: Buffer) => {
		const found = lines.push(chunk);
		if (found === 'too-long') {
			socket.removeAllListeners('data');
			const message = `request line longer than ${maxControlLineBytes} bytes`;
			logger.warn({ event: 'control-socket', action: 'refused' }, message);
			queue = queue.then(() => {
				socket.end(encodeLine({ id: null, ok: false, error: { kind: 'request', message } }));
			});
			return;
		}
		for (const line of found) {
			if (line.trim() === '') continue;
			queue = queue.then(async () => {
				const answer = await answerLine(target, line);
				if (!socket.destroyed) socket.write(encodeLine(answer));
			});
		}
	});
}

async function removeStaleSocket(path: string): Promise<void> {
	const found = await lstat(path).catch(() => undefined);
	if (found?.isSocket()) await unlink(path);
}

/** Binds with a umask that leaves only the owner's bits, so the socket is never open to others. */
async function listenOwnerOnly(server: Server, path: string): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		// listen() binds synchronously (in the primary process), so the umask covers only the bind.
		// A worker thread may not set the umask: there the chmod below alone makes it owner-only.
		const previous = isMainThread ? process.umask(0o177) : undefined;
		try {
			server.listen(path, () => {
				server.off('error', reject);
				resolve();
			});
		} finally {
			if (previous !== undefined) process.umask(previous);
		}
	});
	await chmod(path, 0o600);
}
