import type { BusEvent, BusHandlers, MessageBus } from '../domain/bus.js';
import { silentLogger, type Logger } from '../domain/logger.js';
import { closeRedis, reasonOf, type RedisConnection } from './redis-connection.js';

export type RedisBusOptions = {
	/** Sends events; commands on it fail at once while its link is down. */
	readonly publisher: RedisConnection;
	/** Only listens (a subscribed connection runs nothing else). */
	readonly subscriber: RedisConnection;
	/** Starts every key and channel of this chat, so several chats can share one Redis. */
	readonly prefix: string;
	readonly log?: Logger;
};

/**
 * The cluster's bus over Redis Pub/Sub: every node publishes on one channel and receives every
 * event, and the node's registry keeps what concerns its connections. Pub/Sub drops what is sent
 * while a link is down, so after every re-subscription the listener is told to `resync` from the
 * store. Each event is encoded once per publish and decoded once per node.
 */
export class RedisBus implements MessageBus {
	readonly channel: string;
	readonly #publisher: RedisConnection;
	readonly #subscriber: RedisConnection;
	readonly #log: Logger;
	#handlers: BusHandlers | undefined;
	#losing = false;
	#closed = false;

	constructor(options: RedisBusOptions) {
		this.channel = `${options.prefix}events`;
		this.#publisher = options.publisher;
		this.#subscriber = options.subscriber;
		this.#log = options.log ?? silentLogger;
	}

	async start(handlers: BusHandlers): Promise<void> {
		if (this.#handlers) throw new Error('the bus is already started');
		this.#handlers = handlers;
		// SUBSCRIBE resolves once Redis confirmed it: events published from now on reach us.
		await this.#subscriber.subscribe(this.channel, (message) => this.#receive(message));
		// node-redis re-subscribes before it reports ready, so every later ready is a live
		// subscription after a lost link, which may have dropped events.
		this.#subscriber.on('ready', () => {
			if (!this.#closed) this.#call(() => handlers.resync());
		});
	}

	publish(event: BusEvent): void {
		if (this.#closed) return;
		const text = JSON.stringify(event);
		this.#publisher.publish(this.channel, text).then(
			() => {
				if (!this.#losing) return;
				this.#losing = false;
				this.#log.info({ event: 'cluster-bus-recovered' }, 'bus: publishing again');
			},
			(error: unknown) => {
				if (this.#losing || this.#closed) return;
				this.#losing = true;
				this.#log.warn(
					{ event: 'cluster-bus-lost', reason: reasonOf(error) },
					`bus: events are lost while Redis is unreachable (${reasonOf(error)}); nodes catch up from the store`,
				);
			},
		);
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		this.#handlers = undefined;
		await Promise.all([closeRedis(this.#subscriber), closeRedis(this.#publisher)]);
	}

	#receive(message: string): void {
		const handlers = this.#handlers;
		if (!handlers) return;
		let event: BusEvent;
		try {
			event = JSON.parse(message) as BusEvent;
		} catch {
			this.#log.warn(
				{ event: 'bus-event-dropped', bytes: message.length },
				`bus: dropped an event that is not JSON (${message.length} bytes)`,
			);
			return;
		}
		this.#call(() => handlers.event(event));
	}

	// A throwing handler must not reach node-redis: it would reset its reply parser.
	#call(handler: () => void): void {
		try {
			handler();
		} catch (error) {
			this.#log.error(
				{ event: 'bus-listener-failed', reason: reasonOf(error) },
				`bus: a listener failed: ${reasonOf(error)}`,
			);
		}
	}
}
