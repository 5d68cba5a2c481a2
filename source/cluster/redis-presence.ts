import { randomUUID } from 'node:crypto';
import { silentLogger, type Logger } from '../domain/logger.js';
import type { Presence } from '../domain/presence.js';
import { StorageUnavailableError } from '../domain/storage-errors.js';
import {
	arriveScript,
	departScript,
	leaveScript,
	renewScript,
	sweepScript,
} from './presence-scripts.js';
import { reasonOf, type RedisConnection } from './redis-connection.js';

export type RedisPresenceOptions = {
	/** A command connection (not a subscriber); not closed by `close()`. */
	readonly client: RedisConnection;
	readonly prefix: string;
	readonly log?: Logger;
	/** How long a node's users stay online after its last renewal (default 15 s). */
	readonly leaseMs?: number;
	/** How often the node renews its lease and sweeps lapsed ones (default 5 s). */
	readonly heartbeatMs?: number;
	/** Default: a random UUID. */
	readonly nodeId?: string;
};

/**
 * Cluster-wide presence in Redis, held by per-node leases: a user is online while some node with
 * a live lease holds them. Every node renews its lease each heartbeat and sweeps the lapsed ones;
 * the sweep that removes a dead node's users is the one that reports them, so each goes offline
 * once. Commands are sent in the order the calls are made, on one connection, and each call's
 * view of this node's users is taken when it is sent: Redis sees the same order as this node.
 */
export class RedisPresence implements Presence {
	readonly nodeId: string;
	readonly leaseMs: number;
	readonly heartbeatMs: number;
	readonly #client: RedisConnection;
	readonly #prefix: string;
	readonly #log: Logger;
	/** The users this node holds: what its entries in Redis must be. */
	readonly #here = new Set<string>();
	readonly #listeners: ((users: readonly string[]) => void)[] = [];
	/**
	 * What was reported before anyone listened: `start()` sweeps before the server's registry
	 * subscribes, and the users of a node that died just before are reported by that sweep only.
	 */
	readonly #unheard: string[] = [];
	#timer: NodeJS.Timeout | undefined;
	#beating: Promise<void> | undefined;
	#failing = false;
	#closed = false;

	constructor(options: RedisPresenceOptions) {
		this.#client = options.client;
		this.#prefix = options.prefix;
		this.#log = options.log ?? silentLogger;
		this.leaseMs = options.leaseMs ?? 15_000;
		this.heartbeatMs = options.heartbeatMs ?? 5000;
		this.nodeId = options.nodeId ?? randomUUID();
		if (this.heartbeatMs >= this.leaseMs)
			throw new Error('the heartbeat must be shorter than the lease');
	}

	/** Takes the lease and starts renewing it. */
	async start(): Promise<void> {
		await this.#beat();
		this.#timer = setInterval(() => void this.#heartbeat(), this.heartbeatMs);
		this.#timer.unref();
	}

	async arrive(user: string): Promise<boolean> {
		if (this.#closed) return false; // Closing took the node out: nothing here comes back.
		this.#here.add(user);
		const keys = [this.#key('online'), this.#userKey(user), this.#nodeKey(), this.#key('leases')];
		const args = [this.nodeId, user, String(this.leaseMs)];
		return (await this.#eval(arriveScript, keys, args, `record ${user} online`)) === 1;
	}

	async depart(user: string): Promise<boolean> {
		if (this.#closed) return false;
		this.#here.delete(user);
		const keys = [this.#key('online'), this.#userKey(user), this.#nodeKey()];
		const args = [this.nodeId, user];
		return (await this.#eval(departScript, keys, args, `record ${user} offline`)) === 1;
	}

	async online(users: readonly string[]): Promise<boolean[]> {
		if (users.length === 0) return [];
		try {
			const answers = await this.#client.smIsMember(this.#key('online'), [...users]);
			return answers.map((answer) => Number(answer) === 1);
		} catch (error) {
			throw unavailable('read who is online', error);
		}
	}

	onLapsed(listener: (users: readonly string[]) => void): void {
		this.#listeners.push(listener);
		if (this.#unheard.length > 0) this.#report(this.#unheard.splice(0));
	}

	/** Stops renewing and removes this node's entries; announcing departures is the caller's. */
	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		clearInterval(this.#timer);
		await this.#beating;
		this.#here.clear();
		const keys = [this.#key('online'), this.#key('leases')];
		try {
			await this.#client.eval(leaveScript, { keys, arguments: [this.#prefix, this.nodeId] });
		} catch (error) {
			this.#log.warn(
				{ event: 'presence-leave-failed', reason: reasonOf(error) },
				`presence: this node's entries stay until its lease lapses (${reasonOf(error)})`,
			);
		}
	}

	async #heartbeat(): Promise<void> {
		if (this.#beating || this.#closed) return;
		this.#beating = this.#beat()
			.then(
				() => {
					if (this.#failing) {
						this.#log.info(
							{ event: 'presence-lease-recovered' },
							'presence: renewing the lease again',
						);
					}
					this.#failing = false;
				},
				(error: unknown) => {
					if (!this.#failing && !this.#closed) {
						this.#log.warn(
							{ event: 'presence-lease-failed', reason: reasonOf(error) },
							`presence: cannot renew this node's lease: ${reasonOf(error)}`,
						);
					}
					this.#failing = true;
				},
			)
			.finally(() => {
				this.#beating = undefined;
			});
		await this.#beating;
	}

	/** Renews this node's lease, then sweeps everyone's; reports the users whose presence changed. */
	async #beat(): Promise<void> {
		const renewKeys = [this.#key('online'), this.#nodeKey(), this.#key('leases')];
		const renewArgs = [this.#prefix, this.nodeId, String(this.leaseMs), ...this.#here];
		const sweepKeys = [this.#key('online'), this.#key('leases')];
		// Both are sent before either answers; a failed renewal must not hide what the sweep removed.
		const [mine, lapsed] = await Promise.allSettled([
			this.#client.eval(renewScript, { keys: renewKeys, arguments: renewArgs }),
			this.#client.eval(sweepScript, { keys: sweepKeys, arguments: [this.#prefix] }),
		]);
		if (mine.status === 'fulfilled') this.#report(names(mine.value));
		if (lapsed.status === 'fulfilled') this.#report(names(lapsed.value));
		if (mine.status === 'rejected') throw mine.reason;
		if (lapsed.status === 'rejected') throw lapsed.reason;
	}

	#report(users: readonly string[]): void {
		if (users.length === 0 || this.#closed) return;
		if (this.#listeners.length === 0) {
			this.#unheard.push(...users);
			return;
		}
		for (const listener of this.#listeners) {
			try {
				listener(users);
			} catch (error) {
				this.#log.error(
					{ event: 'presence-listener-failed', reason: reasonOf(error) },
					`presence: a lapse listener failed: ${reasonOf(error)}`,
				);
			}
		}
	}

	async #eval(script: string, keys: string[], args: string[], what: string): Promise<number> {
		try {
			return Number(await this.#client.eval(script, { keys, arguments: args }));
		} catch (error) {
			throw unavailable(what, error);
		}
	}

	#key(name: string): string {
		return `${this.#prefix}${name}`;
	}

	#userKey(user: string): string {
		return `${this.#prefix}user:${user}`;
	}

	#nodeKey(): string {
		return `${this.#prefix}node:${this.nodeId}`;
	}
}

function names(reply: unknown): string[] {
	return Array.isArray(reply) ? reply.map(String) : [];
}

function unavailable(what: string, error: unknown): StorageUnavailableError {
	return new StorageUnavailableError(`cannot ${what}: Redis is unreachable (${reasonOf(error)})`);
}
