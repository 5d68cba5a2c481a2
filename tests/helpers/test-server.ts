import { hostServer, type HostOptions } from '../../source/cli/host-server.js';
import type { RunningServer } from '../../source/server/chat-server.js';
import { makeTempDir } from './temp-dir.js';

// Cheap hashing keeps suites fast; production parameters are tested in the domain tests.
export const testScrypt = { N: 1024, r: 8, p: 1 } as const;

export type TestServer = RunningServer & { readonly dataDir: string; stop(): Promise<void> };

/** A real server on an ephemeral loopback port, over a temp data folder. */
export async function startTestServer(
	options: Partial<HostOptions> = {},
	existingDir?: string,
): Promise<TestServer> {
	const temp = existingDir ? undefined : await makeTempDir();
	const dataDir = existingDir ?? temp!.dir;
	const server = await hostServer({
		host: '127.0.0.1',
		port: 0,
		rateLimit: 0,
		scrypt: testScrypt,
		log: () => undefined,
		...options,
		dataDir,
	});
	return {
		...server,
		dataDir,
		async stop() {
			await server.close();
			await temp?.remove();
		},
	};
}
