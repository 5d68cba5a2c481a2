import { startServer, type RunningServer } from '../server/chat-server.js';
import type { ServerOptions } from '../server/options.js';
import { openBackend, type BackendChoice } from './backends.js';

export type HostOptions = Partial<ServerOptions> & BackendChoice;

/** Opens the backend the options choose and starts a server on it. */
export async function hostServer(options: HostOptions): Promise<RunningServer> {
	const backend = await openBackend(options);
	return startServer(options, backend);
}
