import { silentLogger, type Logger } from '../domain/logger.js';
import { startServer, type RunningServer } from '../server/chat-server.js';
import type { ServerOptions } from '../server/options.js';
import type { ChatBackend } from '../server/backend.js';
import { adminParts } from '../operating/admin-target.js';
import { startControlServer, type ControlServer } from '../operating/control-server.js';
import { withoutCredentials } from '../operating/safe-urls.js';
import { korichatVersion } from '../operating/version.js';
import { openBackend, type BackendChoice } from './backends.js';
import { reasonOf } from '../domain/error-reason.js';

export type HostOptions = Partial<ServerOptions> & BackendChoice;

/**
 * Opens the backend the options choose and starts a server on it, logging both steps; on sql.js,
 * with the admin control socket in the data folder (a cluster's nodes are administered through
 * the database).
 */
export async function hostServer(options: HostOptions): Promise<RunningServer> {
	const log = options.log ?? silentLogger;
	const backend = await openBackend(options);
	const store = storeFields(options);
	log.info(
		{ event: 'start', version: korichatVersion(), ...store },
		`korichat ${korichatVersion()} starting on ${store.database ?? store.data}`,
	);
	let server: RunningServer;
	try {
		server = await startServer(options, backend);
	} catch (error) {
		log.error(
			{ event: 'start-failed', reason: reasonOf(error) },
			`korichat did not start: ${reasonOf(error)}`,
		);
		throw error;
	}
	const address = `${server.tls ? 'tls://' : ''}${server.host}:${server.port}`;
	log.info(
		{ event: 'listening', host: server.host, port: server.port, tls: server.tls },
		`korichat listening on ${address}`,
	);
	if (options.storeUrl !== undefined) return server;
	return withControlSocket(server, backend, options, log);
}

/** The admin control socket beside a running sql.js server; closed before the server. */
async function withControlSocket(
	server: RunningServer,
	backend: ChatBackend,
	options: HostOptions,
	log: Logger,
): Promise<RunningServer> {
	let control: ControlServer | undefined;
	try {
		control = await startControlServer({
			dataDir: options.dataDir,
			...adminParts(backend, log, options),
			live: () => ({ connections: server.connections, loggedInUsers: server.online.onlineUsers }),
			logger: log,
		});
	} catch (error) {
		log.warn(
			{ event: 'control-socket', action: 'failed', reason: reasonOf(error) },
			`cannot open the admin socket in ${options.dataDir} (${reasonOf(error)}): running without it`,
		);
	}
	const closeServer = server.close.bind(server);
	// The socket goes first, so that no admin command reaches a store being closed.
	return Object.assign(server, {
		close: async () => {
			await control?.close();
			await closeServer();
		},
	});
}

/** Which store and bus, and where: a folder, or URLs without their passwords. */
export function storeFields(choice: BackendChoice): {
	store: 'embedded' | 'postgres';
	bus: 'in-process' | 'redis';
	data?: string;
	database?: string;
	busUrl?: string;
} {
	if (choice.storeUrl === undefined)
		return { store: 'embedded', bus: 'in-process', data: choice.dataDir };
	return {
		store: 'postgres',
		database: withoutCredentials(choice.storeUrl),
		...(choice.busUrl === undefined
			? { bus: 'in-process' as const }
			: { bus: 'redis' as const, busUrl: withoutCredentials(choice.busUrl) }),
	};
}
