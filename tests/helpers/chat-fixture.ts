import { RawClient } from './raw-client.js';
import { startTestServer } from './test-server.js';
import type { HostOptions } from '../../source/cli/host-server.js';

export const password = 'correct horse';

/** A server plus helpers to register and log in users over real TCP; `close` cleans up all. */
export async function chatFixture(options: Partial<HostOptions> = {}) {
	const server = await startTestServer(options);
	const clients: RawClient[] = [];
	const connect = async () => {
		const client = await RawClient.connect(server.port);
		clients.push(client);
		return client;
	};
	const register = async (name: string, displayName?: string) => {
		const client = await connect();
		const headers: Record<string, string> = { Password: password };
		if (displayName) headers.Name = displayName;
		const response = await client.request('REG', name, headers);
		if (response.status !== 201)
			throw new Error(`REG ${name}: ${response.status} ${response.text}`);
		await client.close();
	};
	/** Registers (if needed) and logs in on a new connection. */
	const user = async (name: string, options: { register?: boolean } = {}) => {
		if (options.register !== false) await register(name);
		const client = await connect();
		const response = await client.login(name, password);
		if (response.status !== 200) throw new Error(`USE ${name}: ${response.status}`);
		return client;
	};
	return {
		server,
		connect,
		register,
		user,
		async close() {
			await Promise.all(clients.map((client) => client.close()));
			await server.stop();
		},
	};
}

export type ChatFixture = Awaited<ReturnType<typeof chatFixture>>;
