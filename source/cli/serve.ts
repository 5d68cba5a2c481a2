import envPaths from 'env-paths';
import { startServer } from '../server/chat-server.js';
import type { ServerOptions } from '../server/options.js';

export type ServeFlags = {
	readonly host: string;
	readonly port: number;
	readonly data?: string;
	readonly rateLimit: number;
	readonly maxBody: number;
	readonly frameTimeout: number;
};

export const defaultDataDir = () => envPaths('korichat', { suffix: '' }).data;

/** `korichat --serve`: runs until SIGINT/SIGTERM, then shuts down cleanly and exits 0. */
export async function serve(flags: ServeFlags): Promise<void> {
	const options: Partial<ServerOptions> & Pick<ServerOptions, 'dataDir'> = {
		host: flags.host,
		port: flags.port,
		dataDir: flags.data ?? defaultDataDir(),
		rateLimit: flags.rateLimit,
		maxBodyBytes: flags.maxBody,
		frameTimeoutMs: flags.frameTimeout * 1000,
	};
	const server = await startServer(options);
	process.stdout.write(`korichat listening on ${server.host}:${server.port}\n`);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		server.close().then(
			() => process.exit(0),
			(error: unknown) => {
				process.stderr.write(`korichat: shutdown failed: ${String(error)}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}
