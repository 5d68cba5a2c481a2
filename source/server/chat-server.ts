import { randomUUID } from 'node:crypto';
import {
	createServer as createTcpServer,
	type AddressInfo,
	type Server,
	type Socket,
} from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Accounts } from '../domain/accounts.js';
import { Groups } from '../domain/groups.js';
import { MessageChanges } from '../domain/message-changes.js';
import { Messages } from '../domain/messages.js';
import { ReadMarkers } from '../domain/read-markers.js';
import { Search } from '../domain/search.js';
import { Typing } from '../domain/typing.js';
import type { MessageBus } from '../domain/bus.js';
import type { ChatStore } from '../domain/store.js';
import { encodeResponse, errorResponse } from '../protocol/encoder.js';
import { Status } from '../protocol/status.js';
import { ConnectionsPerAddress, notCounted } from './address-limit.js';
import type { ChatBackend } from './backend.js';
import type { Services } from './commands/command.js';
import { Connection, type ConnectionDependencies } from './connection.js';
import { OnlineRegistry } from './online-registry.js';
import { defaultServerOptions, type ServerOptions } from './options.js';
import { OutputWatch } from './output-watch.js';
import { StoreHealth } from './store-health.js';
import { LogRateLimiter } from '../operating/log-rate-limiter.js';
import { reasonOf } from '../domain/error-reason.js';

export type RunningServer = {
	readonly host: string;
	readonly port: number;
	/** True when it speaks TLS (clients connect to tls://host:port). */
	readonly tls: boolean;
	readonly store: ChatStore;
	/** The backend's bus: what an admin command changes is announced on it (domain/admin.ts). */
	readonly bus: MessageBus;
	/** This node's registry of logged-in connections (tests look at it). */
	readonly online: OnlineRegistry;
	/** Connections open now (the admin socket's `stats`). */
	readonly connections: number;
	/** Stops accepting, answers what is in flight, then closes the backend (sql.js: snapshots). */
	close(): Promise<void>;
};

const sessionSweepMs = 60 * 60 * 1000;
// Sent to a connection refused by the per-address limit; a client may try again then.
const refusedRetryAfterSeconds = 10;

export class StartupError extends Error {
	override readonly name = 'StartupError';
}

/**
 * Listens for CHAT/1.0 connections, over TCP or TLS, on the backend the caller opened; the
 * server owns it from then on and closes it on close() (or when it fails to start).
 */
export async function startServer(
	options: Partial<ServerOptions>,
	backend: ChatBackend,
): Promise<RunningServer> {
	const config: ServerOptions = { ...defaultServerOptions, ...options };
	const { store } = backend;
	let server: Server;
	let services: Services | undefined;
	try {
		server = createListener(config);
		services = createServices(backend, config);
		await services.online.start();
	} catch (error) {
		services?.health.stop();
		await backend.close();
		throw error;
	}
	const connections = new Set<Connection>();
	// A flood of refused or dropped connections writes a bounded number of lines.
	const noisyLog = new LogRateLimiter(config.log, { ...config.logRateLimits, clock: config.clock });
	const noisySummaries = setInterval(() => noisyLog.flush(), config.logRateLimits.windowMs);
	noisySummaries.unref();
	const perAddress = new ConnectionsPerAddress({
		maxPerAddress: config.maxConnectionsPerIp,
		limitLoopback: config.limitLoopback,
		log: noisyLog,
	});
	let storageFailure: Error | undefined;
	const storageFailed = (error: Error) => {
		if (storageFailure) return;
		storageFailure = error;
		config.log.error(
			{ event: 'storage-failed', reason: reasonOf(error) },
			`storage failed, so every request is now answered 500: ${reasonOf(error)}`,
		);
		config.onStorageFailure?.(error);
	};
	const outputWatch = new OutputWatch(config.outputStallTimeoutMs);
	// This node's random part makes connection ids unique across the cluster.
	const node = randomUUID();
	let connectionCount = 0;
	// One object for every connection: what a connection needs per socket, it holds itself.
	const dependencies: ConnectionDependencies = {
		services,
		store,
		options: config,
		storageFailed,
		outputWatch,
		delivery: {
			fetch: (user, afterId, limit) => services.messages.pending(user, afterId, limit),
			durable: () => store.whenDurable(),
			maxInFlight: 5_000,
			pageSize: 200,
			changes: () => services.online.changes,
		},
		closed: (connection) => connections.delete(connection),
		connectionId: () => `${node}.${++connectionCount}`,
		noisyLog,
	};
	const serve = (socket: Socket) => {
		connections.add(new Connection(socket, dependencies));
	};
	// Counted on the raw socket, so TLS handshakes in progress count too.
	server.on('connection', (socket: Socket) => {
		const release = perAddress.admit(socket.remoteAddress);
		if (!release) {
			refuse(socket, config);
			return;
		}
		// A release runs once however often it is called, so `on` does (no `once` wrapper).
		if (release !== notCounted) socket.on('close', release);
		if (!config.tls) serve(socket);
	});
	if (config.tls) {
		server.on('secureConnection', serve);
		// Node leaves a failed or timed-out handshake's socket open: close it.
		server.on('tlsClientError', (_error: Error, socket: Socket) => socket.destroy());
	}
	try {
		await listen(server, config.host, config.port);
	} catch (error) {
		await services.online.stop();
		services.health.stop();
		clearInterval(noisySummaries);
		await backend.close();
		throw error;
	}
	config.instruments.serverStarted({
		connections: () => connections.size,
		loggedInUsers: () => services.online.onlineUsers,
		queueDepth: () => store.queueDepth(),
		health: () => services.health,
	});
	const sweep = setInterval(() => {
		services.accounts.expireSessions().catch((error: unknown) => {
			const reason = reasonOf(error);
			config.log.warn(
				{ event: 'session-sweep-failed', reason },
				`expired sessions not removed: ${reason}`,
			);
		});
	}, sessionSweepMs);
	sweep.unref();
	const address = server.address() as AddressInfo;
	let closing: Promise<void> | undefined;
	return {
		host: address.address,
		port: address.port,
		tls: config.tls !== undefined,
		store,
		bus: backend.bus,
		online: services.online,
		get connections() {
			return connections.size;
		},
		close() {
			closing ??= (async () => {
				config.instruments.serverStopped();
				clearInterval(sweep);
				clearInterval(noisySummaries);
				const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
				await Promise.all([...connections].map((connection) => connection.shutdown()));
				await services.online.stop();
				services.health.stop();
				try {
					await backend.close();
				} finally {
					for (const connection of connections) connection.destroy();
					outputWatch.stop();
					noisyLog.flush(true);
					await stopped;
				}
			})();
			return closing;
		},
	};
}

/** One code path for both: a TLS server hands the same Connection a decrypted Duplex. */
function createListener(config: ServerOptions): Server {
	if (!config.tls) return createTcpServer({ allowHalfOpen: true });
	try {
		return createTlsServer({
			...config.tls,
			allowHalfOpen: true,
			// A handshake left incomplete is a slow client like any other.
			handshakeTimeout: config.frameTimeoutMs,
		});
	} catch (error) {
		throw new StartupError(`cannot use the TLS certificate and key: ${reasonOf(error)}`);
	}
}

/** Past the per-address limit: a plain connection is told why, a TLS one is cut before its handshake. */
function refuse(socket: Socket, config: ServerOptions): void {
	socket.on('error', () => undefined);
	// Read and discard, so the peer's end is seen and the socket closes at once.
	socket.resume();
	if (config.tls) {
		socket.destroy();
		return;
	}
	const message = `too many connections from your address (at most ${config.maxConnectionsPerIp}); close one and retry`;
	socket.end(
		encodeResponse(
			errorResponse(Status.tooManyRequests, message, [
				['Retry-After', String(refusedRetryAfterSeconds)],
			]),
		),
	);
	// Whatever the peer does, the socket goes away soon.
	setTimeout(() => socket.destroy(), 1000).unref();
}

function createServices(backend: ChatBackend, config: ServerOptions): Services {
	const { clock, log } = config;
	const { store, bus, presence, throttle } = backend;
	return {
		accounts: new Accounts({ store, bus, clock, throttle, scrypt: config.scrypt }),
		groups: new Groups({ store, bus, clock }),
		messages: new Messages({ store, bus, clock, stored: () => config.instruments.messageStored() }),
		changes: new MessageChanges({ store, bus, clock }),
		reads: new ReadMarkers({ store, bus }),
		search: new Search(store),
		typing: new Typing({ store, bus, clock }),
		health: new StoreHealth(store, { everyMs: 1000, timeoutMs: 2000 }),
		online: new OnlineRegistry({
			bus,
			presence,
			log,
			lastMessageId: () => store.lastMessageId(),
			sessionExists: async (id) => (await store.findSession(id)) !== undefined,
		}),
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
