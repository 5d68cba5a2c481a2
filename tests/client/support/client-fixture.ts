import { ChatClient, type ChatClientOptions } from '../../../source/client/chat-client.js';
import type { ChatMessage } from '../../../source/client/types.js';
import type { HostOptions } from '../../../source/cli/host-server.js';
import { startTestServer, type TestServer } from '../../helpers/test-server.js';

export const password = 'correct horse';

/** A real server plus ChatClients on it; `close` closes every client and stops the server. */
export async function clientFixture(serverOptions: Partial<HostOptions> = {}) {
	const server = await startTestServer(serverOptions);
	const clients: ChatClient[] = [];
	const fixture = {
		server,
		/** A connected client; `port` overrides the server's (to go through a proxy). */
		async client(options: ChatClientOptions & { port?: number } = {}): Promise<ChatClient> {
			const client = new ChatClient({
				server: `127.0.0.1:${options.port ?? fixture.server.port}`,
				backoff: { initialDelayMs: 20, maxDelayMs: 200 },
				...options,
			});
			clients.push(client);
			await client.connect();
			return client;
		},
		/** Registers `user` (unless told not to) and logs in on a new client. */
		async user(
			name: string,
			options: ChatClientOptions & { port?: number; register?: boolean } = {},
		): Promise<ChatClient> {
			const client = await fixture.client(options);
			if (options.register !== false) await client.register(name, password);
			await client.login(name, password);
			return client;
		},
		async close(): Promise<void> {
			await Promise.all(clients.map((client) => client.close()));
			await fixture.server.stop();
		},
	};
	return fixture;
}

export type ClientFixture = Awaited<ReturnType<typeof clientFixture>>;
export type { TestServer };

/** Collects every `message` event of a client. */
export function collectMessages(client: ChatClient): ChatMessage[] {
	const messages: ChatMessage[] = [];
	client.on('message', (message) => messages.push(message));
	return messages;
}
