import { defaultPort } from '../protocol/frame.js';
import type { ScryptParameters } from '../domain/passwords.js';

export type ServerOptions = {
	readonly host: string;
	/** 0 takes a free port. */
	readonly port: number;
	readonly dataDir: string;
	/** Requests per second per connection; 0 turns the limit off. */
	readonly rateLimit: number;
	readonly rateBurst: number;
	readonly maxHeadBytes: number;
	readonly maxBodyBytes: number;
	/** How long a frame may stay incomplete before 408. */
	readonly frameTimeoutMs: number;
	/** Unsent output beyond which a connection is dropped (its queue is durable). */
	readonly maxOutputBytes: number;
	/** Failed logins per user name per minute; 0 turns the limit off. */
	readonly failedLoginLimit: number;
	readonly scrypt?: ScryptParameters;
	readonly clock: () => number;
	/** Where operational log lines go; never given a password or a session id. */
	readonly log: (line: string) => void;
};

export const defaultServerOptions: Omit<ServerOptions, 'dataDir'> = {
	host: '127.0.0.1',
	port: defaultPort,
	rateLimit: 20,
	rateBurst: 100,
	maxHeadBytes: 8 * 1024,
	maxBodyBytes: 64 * 1024,
	frameTimeoutMs: 30_000,
	maxOutputBytes: 4 * 1024 * 1024,
	failedLoginLimit: 5,
	clock: Date.now,
	log: (line) => process.stderr.write(`${line}\n`),
};
