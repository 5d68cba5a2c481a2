import { silentLogger } from '../domain/logger.js';
import { startServer, type RunningServer } from '../server/chat-server.js';
import type { ServerOptions } from '../server/options.js';
import { withoutCredentials } from '../operating/safe-urls.js';
import { korichatVersion } from '../operating/version.js';
import { openBackend, type BackendChoice } from './backends.js';

export type HostOptions = Partial<ServerOptions> & BackendChoice;

/** Opens the backend the options choose and starts a server on it, logging both steps. */
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
		const reason = error instanceof Error ? error.message : String(error);
		log.error({ event: 'start-failed', reason }, `korichat did not start: ${reason}`);
		throw error;
	}
	const address = `${server.tls ? 'tls://' : ''}${server.host}:${server.port}`;
	log.info(
		{ event: 'listening', host: server.host, port: server.port, tls: server.tls },
		`korichat listening on ${address}`,
	);
	return server;
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
