import { createServer, type AddressInfo, type Server } from 'node:net';
import { Accounts } from '../domain/accounts.js';
import { InProcessBus, type MessageBus } from '../domain/bus.js';
import { Groups } from '../domain/groups.js';
import { LoginThrottle } from '../domain/login-throttle.js';
import { Messages } from '../domain/messages.js';
import type { ChatStore } from '../domain/store.js';
import { openChatStore } from '../storage/open-chat-store.js';
import type { Services } from './commands/command.js';
import { Connection } from './connection.js';
import { OnlineRegistry } from './online-registry.js';
import { defaultServerOptions, type ServerOptions } from './options.js';

export type RunningServer = {
	readonly host: string;
	readonly port: number;
	readonly store: ChatStore;
	/** Stops accepting, answers what is in flight, snapshots and closes the database. */
	close(): Promise<void>;
};

const sessionSweepMs = 60 * 60 * 1000;

export class StartupError extends Error {
	override readonly name = 'StartupError';
}

/** Opens the database in `dataDir` and listens for CHAT/1.0 connections. */
export async function startServer(
	options: Partial<ServerOptions> & Pick<ServerOptions, 'dataDir'>,
): Promise<RunningServer> {
	const config: ServerOptions = { ...defaultServerOptions, ...options };
	const store = await openChatStore(config.dataDir);
	const bus: MessageBus = new InProcessBus();
	const services = createServices(store, bus, config);
	const connections = new Set<Connection>();
	const server = createServer({ allowHalfOpen: true }, (socket) => {
		const connection = new Connection(socket, { services, store, bus, options: config });
		connections.add(connection);
		socket.on('close', () => connections.delete(connection));
	});
	try {
		await listen(server, config.host, config.port);
	} catch (error) {
		await store.close();
		throw error;
	}
	const sweep = setInterval(() => {
		services.accounts.expireSessions().catch(() => undefined);
	}, sessionSweepMs);
	sweep.unref();
	const address = server.address() as AddressInfo;
	let closing: Promise<void> | undefined;
	return {
		host: address.address,
		port: address.port,
		store,
		close() {
			closing ??= (async () => {
				clearInterval(sweep);
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				await Promise.all([...connections].map((connection) => connection.shutdown()));
				await store.close();
				for (const connection of connections) connection.destroy();
				await stopped;
			})();
			return closing;
		},
	};
}

function createServices(store: ChatStore, bus: MessageBus, config: ServerOptions): Services {
	const { clock } = config;
	const throttle = new LoginThrottle(config.failedLoginLimit, 60_000, clock);
	return {
		accounts: new Accounts({ store, bus, clock, throttle, scrypt: config.scrypt }),
		groups: new Groups({ store, bus, clock }),
		messages: new Messages({ store, bus, clock }),
		online: new OnlineRegistry(bus),
	};
}

function listen(server: Server, host: string, port: number): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (error: NodeJS.ErrnoException) => {
			reject(
				new StartupError(
					error.code === 'EADDRINUSE'
						? `port ${port} on ${host} is already in use; pick another with --port`
						: `cannot listen on ${host}:${port}: ${error.message}`,
				),
			);
		};
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
}
