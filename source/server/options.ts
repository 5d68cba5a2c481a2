import { defaultPort } from '../protocol/frame.js';
import { silentLogger, type Logger } from '../domain/logger.js';
import type { ScryptParameters } from '../domain/passwords.js';
import { noServerInstruments, type ServerInstruments } from './instruments.js';

/** A certificate chain and its private key, PEM-encoded. */
export type TlsCredentials = { readonly cert: string | Buffer; readonly key: string | Buffer };

export type ServerOptions = {
	readonly host: string;
	/** 0 takes a free port. */
	readonly port: number;
	/** Requests per second per connection; 0 turns the limit off. */
	readonly rateLimit: number;
	readonly rateBurst: number;
	readonly maxHeadBytes: number;
	readonly maxBodyBytes: number;
	/** How long a frame (or a TLS handshake) may stay incomplete before 408. */
	readonly frameTimeoutMs: number;
	/** Unsent output beyond which a connection is dropped (its queue is durable). */
	readonly maxOutputBytes: number;
	/** A connection whose unsent output makes no progress for this long is dropped. */
	readonly outputStallTimeoutMs: number;
	/** Connections open at once from one address (IPv6: one /64); 0 turns the limit off. */
	readonly maxConnectionsPerIp: number;
	/** Applies maxConnectionsPerIp to loopback addresses too; they are exempt by default. */
	readonly limitLoopback: boolean;
	readonly scrypt?: ScryptParameters;
	/** Serve CHAT/1.0 over TLS with these instead of plain TCP. */
	readonly tls?: TlsCredentials;
	/**
	 * Called once when storage fails at runtime, after the one log line that says so. From then on
	 * every request is answered 500; `korichat --serve` exits so that a supervisor restarts it.
	 */
	readonly onStorageFailure?: (error: Error) => void;
	readonly clock: () => number;
	/** Told of requests, messages and deliveries (the metrics); no-op by default. */
	readonly instruments: ServerInstruments;
	/** Where the server logs what it does; never given a password, session id or message body. */
	readonly log: Logger;
	/** How many refused or dropped connections are logged per reason before they are only counted. */
	readonly logRateLimits: { readonly maxPerWindow: number; readonly windowMs: number };
};

export const defaultServerOptions: ServerOptions = {
	host: '127.0.0.1',
	port: defaultPort,
	rateLimit: 20,
	rateBurst: 100,
	maxHeadBytes: 8 * 1024,
	maxBodyBytes: 64 * 1024,
	frameTimeoutMs: 30_000,
	maxOutputBytes: 4 * 1024 * 1024,
	outputStallTimeoutMs: 60_000,
	maxConnectionsPerIp: 16,
	limitLoopback: false,
	clock: Date.now,
	instruments: noServerInstruments,
	log: silentLogger,
	logRateLimits: { maxPerWindow: 10, windowMs: 10_000 },
};
