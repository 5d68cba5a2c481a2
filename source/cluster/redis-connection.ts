import { createClient } from 'redis';
import type { Logger } from '../domain/logger.js';

/** One connection to Redis (node-redis), as every part of cluster mode uses it. */
export type RedisConnection = ReturnType<typeof createConnection>;

export type ConnectOptions = {
	/** What this connection is for, in log lines and CLIENT LIST (`bus-publisher`, …). */
	readonly role: string;
	readonly log: Logger;
	/** How long the first connection may take before it gives up. */
	readonly timeoutMs?: number;
};

/** The longest wait between two reconnection attempts. */
export const maxReconnectDelayMs = 3000;
const pingIntervalMs = 1500;
/** How long a link may carry nothing before it is taken for dead. */
export const silentLinkTimeoutMs = 5000;

/** `host:port` of a Redis URL, for messages a person reads. */
export function redisTarget(url: string): string {
	try {
		const { hostname, port } = new URL(url);
		return `${hostname || 'localhost'}:${port || '6379'}`;
	} catch {
		return url;
	}
}

/**
 * Connects to Redis, or rejects with one clear error naming the server within `timeoutMs`.
 * Once connected it reconnects by itself with a capped back-off, and logs a lost link once per
 * outage. Commands fail at once while the link is down (no offline queue): for every caller the
 * store is the truth, so a late command is worse than a failed one.
 */
export async function connectRedis(url: string, options: ConnectOptions): Promise<RedisConnection> {
	const target = redisTarget(url);
	const timeoutMs = options.timeoutMs ?? 5000;
	const client = createConnection(url, options.role, timeoutMs);
	let everReady = false;
	let up = false;
	let lastError: unknown;
	// node-redis throws from an unheard 'error' event: there must always be a listener.
	client.on('error', (error: unknown) => {
		lastError = error;
		// A failed command (a slow PING) on a link that is still up is not an outage.
		if (!up || client.isReady) return;
		up = false;
		options.log.warn(
			{ event: 'cluster-link-lost', target, role: options.role, reason: reasonOf(error) },
			`redis ${target} (${options.role}): link lost (${reasonOf(error)}); reconnecting`,
		);
	});
	client.on('ready', () => {
		if (everReady && !up) {
			options.log.info(
				{ event: 'cluster-link-recovered', target, role: options.role },
				`redis ${target} (${options.role}): link back`,
			);
		}
		everReady = true;
		up = true;
	});
	const connecting = client.connect();
	connecting.catch(() => undefined);
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	try {
		const outcome = await Promise.race([connecting, timedOut]);
		if (outcome === 'timeout') throw new Error(`no answer within ${timeoutMs / 1000} s`);
		return client;
	} catch (error) {
		client.destroy();
		const reason = lastError === undefined ? reasonOf(error) : reasonOf(lastError);
		throw new Error(`cannot reach Redis at ${target}: ${reason}`);
	} finally {
		clearTimeout(timer);
	}
}

/** Closes a connection gracefully, or destroys it if it does not finish within `graceMs`. */
export async function closeRedis(client: RedisConnection, graceMs = 1000): Promise<void> {
	if (!client.isOpen) {
		client.destroy();
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<void>((resolve) => {
		timer = setTimeout(resolve, graceMs);
	});
	try {
		await Promise.race([client.close(), late]);
	} catch {
		// Already closing or closed: destroy below makes sure.
	} finally {
		clearTimeout(timer);
		client.destroy();
	}
}

export function reasonOf(error: unknown): string {
	if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
	if (error instanceof Error) return error.message || error.name;
	return String(error);
}

function createConnection(url: string, role: string, timeoutMs: number) {
	return createClient({
		url,
		name: `korichat-${role}`,
		disableOfflineQueue: true,
		// Redis Enterprise maintenance pushes: not ours, and one less handshake command.
		maintNotifications: 'disabled',
		// A link that died silently answers no PING: after `socketTimeout` without a byte it is
		// closed and reconnected, instead of waiting minutes for TCP keep-alive.
		pingInterval: pingIntervalMs,
		socket: {
			connectTimeout: timeoutMs,
			socketTimeout: silentLinkTimeoutMs,
			reconnectStrategy: (retries) =>
				Math.min(100 * 2 ** retries, maxReconnectDelayMs) + Math.floor(Math.random() * 100),
		},
	});
}
