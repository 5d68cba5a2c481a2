import { startServer, type RunningServer } from '../server/chat-server.js';
import { defaultServerOptions, type ServerOptions } from '../server/options.js';
import { adminParts } from '../operating/admin-target.js';
import { startControlServer, type ControlServer } from '../operating/control-server.js';
import { loggerOverLines } from '../operating/line-logger.js';
import { openBackend, reasonOf, type BackendChoice } from './backends.js';

export type HostOptions = Partial<ServerOptions> & BackendChoice;

/**
 * Opens the backend the options choose and starts a server on it; on sql.js, with the admin
 * control socket in the data folder (a cluster's nodes are administered through the database).
 */
export async function hostServer(options: HostOptions): Promise<RunningServer> {
	const backend = await openBackend(options);
	const server = await startServer(options, backend);
	if (options.storeUrl !== undefined) return server;
	const logger = loggerOverLines(options.log ?? defaultServerOptions.log);
	let control: ControlServer | undefined;
	try {
		control = await startControlServer({
			dataDir: options.dataDir,
			...adminParts(backend, logger, options),
			live: () => ({ connections: server.connections, loggedInUsers: server.online.onlineUsers }),
			logger,
		});
	} catch (error) {
		logger.warn(
			{ event: 'control-socket', action: 'failed' },
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
