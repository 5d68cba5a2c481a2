import { mkdirSync } from 'node:fs';
import Conf from 'conf';
import envPaths from 'env-paths';
import type { StoredSession } from './types.js';

/** Where a client keeps its sessions; the ChatClient needs only this. */
export interface SessionStore {
	load(server: string): StoredSession | undefined;
	save(server: string, session: StoredSession): void;
	clear(server: string): void;
}

type CookieFile = { sessions: Record<string, StoredSession> };

export const configDirVariable = 'KORICHAT_CONFIG_DIR';

/** `--config DIR`, else $KORICHAT_CONFIG_DIR, else the platform's per-user config folder. */
export function configDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
	return explicit || env[configDirVariable] || envPaths('korichat', { suffix: '' }).config;
}

const isSession = (value: unknown): value is StoredSession =>
	typeof value === 'object' &&
	value !== null &&
	typeof (value as StoredSession).user === 'string' &&
	typeof (value as StoredSession).sessionId === 'string';

/**
 * Sessions per server (`host:port` → user and SESSIONID) in `<dir>/sessions.json`, readable and
 * writable by the owner only: a session id is as good as a password until it expires.
 */
export class CookieStore implements SessionStore {
	readonly #conf: Conf<CookieFile>;

	constructor(dir: string = configDir()) {
		// The folder too, so nobody else can even list it (conf would create it world-readable).
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		this.#conf = new Conf<CookieFile>({
			cwd: dir,
			configName: 'sessions',
			configFileMode: 0o600,
			// Server keys hold dots ("127.0.0.1:5674"): they are not paths.
			accessPropertiesByDotNotation: false,
			defaults: { sessions: {} },
			// A damaged file only costs a new login.
			clearInvalidConfig: true,
		});
	}

	get path(): string {
		return this.#conf.path;
	}

	load(server: string): StoredSession | undefined {
		const session = this.#conf.get('sessions')[server];
		return isSession(session) ? { user: session.user, sessionId: session.sessionId } : undefined;
	}

	save(server: string, session: StoredSession): void {
		const sessions = { ...this.#conf.get('sessions') };
		sessions[server] = { user: session.user, sessionId: session.sessionId };
		this.#conf.set('sessions', sessions);
	}

	clear(server: string): void {
		const sessions = { ...this.#conf.get('sessions') };
		if (!(server in sessions)) return;
		delete sessions[server];
		this.#conf.set('sessions', sessions);
	}
}

/** A SessionStore in memory, for clients that should not touch the disk. */
export class MemorySessionStore implements SessionStore {
	readonly #sessions = new Map<string, StoredSession>();

	load(server: string): StoredSession | undefined {
		return this.#sessions.get(server);
	}

	save(server: string, session: StoredSession): void {
		this.#sessions.set(server, session);
	}

	clear(server: string): void {
		this.#sessions.delete(server);
	}
}
