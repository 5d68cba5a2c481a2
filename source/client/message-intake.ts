import { AckBatcher, type AckBatcherOptions } from './ack-batcher.js';
import { MessageDeduper } from './message-deduper.js';
import type { ChatMessage } from './types.js';

export type MessageListener = (message: ChatMessage) => void;

/** What became of a pushed message. */
export type Intake =
	| { readonly outcome: 'taken' | 'duplicate' | 'untaken' }
	| { readonly outcome: 'refused'; readonly error: unknown };

/**
 * Surfaces each pushed message once and acknowledges it only after the application took it:
 * duplicates (redeliveries after a re-bind) are dropped but acknowledged again, a message nobody
 * listens to is left on the server, and one whose listener throws holds the cumulative ACK back.
 */
export class MessageIntake {
	readonly #seen = new MessageDeduper();
	readonly #acks: AckBatcher;

	constructor(options: AckBatcherOptions) {
		this.#acks = new AckBatcher(options);
	}

	receive(message: ChatMessage, listeners: readonly MessageListener[]): Intake {
		if (this.#seen.hasSeen(message.id)) {
			// Redelivered, so its earlier ACK did not reach the server: send it again.
			this.#acks.taken(message.id);
			return { outcome: 'duplicate' };
		}
		// Nobody took it: it stays queued on the server for a client that will.
		if (listeners.length === 0) return { outcome: 'untaken' };
		try {
			for (const listener of listeners) listener(message);
		} catch (error) {
			this.#acks.refused(message.id);
			return { outcome: 'refused', error };
		}
		this.#seen.remember(message.id);
		this.#acks.taken(message.id);
		return { outcome: 'taken' };
	}

	/**
	 * A message this client sent (its 202 carried `id`): the application shows it from the answer,
	 * so should the server push it here too (on a re-bind, while it is un-ACKed) it is dropped.
	 */
	sent(id: number): void {
		this.#seen.remember(id);
	}

	/** Whether `id` was surfaced (or sent from here) already. */
	hasSeen(id: number): boolean {
		return this.#seen.hasSeen(id);
	}

	/** Sends the owed ACK now (after reconnecting, say). */
	flush(): Promise<void> {
		return this.#acks.flush();
	}

	/** Sends the owed ACK, waiting at most `timeoutMs`, and stops. */
	async finish(timeoutMs: number): Promise<void> {
		if (this.#acks.owed > 0) {
			let timer: NodeJS.Timeout | undefined;
			const giveUp = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
			await Promise.race([this.#acks.flush(), giveUp]);
			clearTimeout(timer);
		}
		this.#acks.stop();
	}

	/** Another user, or none: nothing seen or owed carries over. */
	forget(): void {
		this.#seen.reset();
		this.#acks.reset();
	}
}
