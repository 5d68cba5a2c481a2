import { hostServer, type HostOptions } from '../../../source/cli/host-server.js';
import type { RunningServer } from '../../../source/server/chat-server.js';
import { RawClient } from '../../helpers/raw-client.js';
import { testScrypt } from '../../helpers/test-server.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { silentLogger } from '../../../source/domain/logger.js';

export type ClusterOptions = {
	readonly storeUrl: string;
	readonly busUrl: string;
	readonly nodes: number;
	readonly options?: Partial<HostOptions>;
};

/** Several in-process nodes on one PostgreSQL database and one Redis: one chat. */
export async function startCluster({ storeUrl, busUrl, nodes, options = {} }: ClusterOptions) {
	const temp = await makeTempDir();
	const start = (extra: Partial<HostOptions> = {}) =>
		hostServer({
			host: '127.0.0.1',
			port: 0,
			rateLimit: 0,
			scrypt: testScrypt,
			log: silentLogger,
			dataDir: temp.dir,
			storeUrl,
			busUrl,
			...options,
			...extra,
		});
	const servers: RunningServer[] = [];
	for (let i = 0; i < nodes; i++) servers.push(await start());
	const clients: RawClient[] = [];
	return {
		servers,
		/** Another node on the same store and bus (options override the cluster's). */
		async addNode(extra: Partial<HostOptions> = {}) {
			const server = await start(extra);
			servers.push(server);
			return server;
		},
		/** A raw connection to node `index`. */
		async connect(index: number): Promise<RawClient> {
			const client = await RawClient.connect(servers[index]!.port);
			clients.push(client);
			return client;
		},
		/** Registers `user` through node `index` (no login). */
		async register(index: number, user: string, password = 'correct horse') {
			const client = await this.connect(index);
			const response = await client.request('REG', user, { Password: password });
			if (response.status !== 201) throw new Error(`REG ${user}: ${response.status}`);
			await client.close();
		},
		/** A connection to node `index` logged in as `user`. */
		async login(index: number, user: string, password = 'correct horse') {
			const client = await this.connect(index);
			const response = await client.login(user, password);
			if (response.status !== 200) throw new Error(`USE ${user}: ${response.status}`);
			return client;
		},
		async stop() {
			await Promise.all(clients.map((client) => client.close()));
			await Promise.all(servers.map((server) => server.close().catch(() => undefined)));
			await temp.remove();
		},
	};
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
