import type { BusEvent } from '../domain/bus.js';

type MessageEvent = Extract<BusEvent, { type: 'message' }>;

export type SequencerOptions = {
	/** The highest message id committed in the store. */
	readonly lastMessageId: () => Promise<number>;
	/** Hands on a message event; called in increasing id order, none skipped. */
	readonly release: (event: MessageEvent) => void;
	/** Events were skipped over: every delivery must re-read its queue from the store. */
	readonly catchUp: () => void;
	/** How long a gap in the ids may wait for its event before the store is asked. */
	readonly gapWaitMs: number;
	/** How often the store is asked whether messages were committed that no event told of. */
	readonly pollMs: number;
	readonly onError?: (error: unknown) => void;
};

/**
 * Puts the message events of a bus back into id order. The store commits message ids in order
 * with none skipped, but events from several nodes may arrive in any order, or not at all (a
 * node died between commit and publish, a link to the bus was down). An event waits here until
 * every smaller id has been released; when a gap outlives `gapWaitMs`, or the store's last id
 * runs ahead of the events, every delivery re-reads from the store instead: the store is the
 * truth, the events only save the reads.
 */
export class MessageSequencer {
	#released = 0;
	readonly #held = new Map<number, MessageEvent>();
	#gapTimer: NodeJS.Timeout | undefined;
	#pollTimer: NodeJS.Timeout | undefined;
	#resyncing: Promise<void> | undefined;
	#resyncAgain = false;

	constructor(readonly options: SequencerOptions) {}

	/** Starts from the store's current position: later messages are released as they come. */
	async start(): Promise<void> {
		this.#released = await this.options.lastMessageId();
		this.#pollTimer = setInterval(() => void this.resync(), this.options.pollMs);
		this.#pollTimer.unref();
	}

	stop(): void {
		clearInterval(this.#pollTimer);
		clearTimeout(this.#gapTimer);
		this.#held.clear();
	}

	get released(): number {
		return this.#released;
	}

	offer(event: MessageEvent): void {
		const { id } = event.message;
		if (id <= this.#released) return;
		if (id !== this.#released + 1) {
			this.#held.set(id, event);
			this.#gapTimer ??= setTimeout(() => void this.resync(), this.options.gapWaitMs);
			return;
		}
		this.#released = id;
		this.options.release(event);
		this.#drain();
	}

	/** Asks the store how far messages have been committed and catches up to it. */
	resync(): Promise<void> {
		if (this.#resyncing) {
			this.#resyncAgain = true;
			return this.#resyncing;
		}
		this.#resyncing = this.#resync().finally(() => {
			this.#resyncing = undefined;
			if (this.#resyncAgain) {
				this.#resyncAgain = false;
				void this.resync();
			}
		});
		return this.#resyncing;
	}

	async #resync(): Promise<void> {
		clearTimeout(this.#gapTimer);
		this.#gapTimer = undefined;
		let last: number;
		try {
			last = await this.options.lastMessageId();
		} catch (error) {
			// The store is down: try again on the next poll; nothing is released meanwhile.
			this.options.onError?.(error);
			if (this.#held.size > 0) {
				this.#gapTimer = setTimeout(() => void this.resync(), this.options.pollMs);
			}
			return;
		}
		if (last > this.#released) {
			this.#released = last;
			for (const id of this.#held.keys()) if (id <= last) this.#held.delete(id);
			this.options.catchUp();
		}
		this.#drain();
	}

	#drain(): void {
		let next = this.#held.get(this.#released + 1);
		while (next) {
			this.#held.delete(next.message.id);
			this.#released = next.message.id;
			this.options.release(next);
			next = this.#held.get(this.#released + 1);
		}
		if (this.#held.size === 0) {
			clearTimeout(this.#gapTimer);
			this.#gapTimer = undefined;
		} else {
			this.#gapTimer ??= setTimeout(() => void this.resync(), this.options.gapWaitMs);
		}
	}
}
