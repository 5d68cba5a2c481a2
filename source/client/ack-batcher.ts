export type AckBatcherOptions = {
	/** Sends `ACK id`; a rejection keeps the id for the next flush. */
	readonly send: (id: number) => Promise<void>;
	/** Longest wait between taking a message and acknowledging it. */
	readonly intervalMs: number;
	/** Acknowledge at once when this many messages are waiting. */
	readonly maxBatch: number;
};

/**
 * Turns "the application took message n" into few cumulative ACKs: at most one per interval, or
 * one per `maxBatch` messages, each for the highest id taken so far, but never past a message the
 * application refused (ACKs are cumulative: that would drop it from the server's queue).
 */
export class AckBatcher {
	readonly #options: AckBatcherOptions;
	#highest = 0;
	#acked = 0;
	#waiting = 0;
	readonly #refused = new Set<number>();
	#timer: NodeJS.Timeout | undefined;
	#sending: Promise<void> | undefined;

	constructor(options: AckBatcherOptions) {
		this.#options = options;
	}

	/** The highest id the server has confirmed acknowledging. */
	get acknowledged(): number {
		return this.#acked;
	}

	/** The id the next ACK would carry, or 0 when nothing is owed. */
	get owed(): number {
		const ceiling = this.#refused.size === 0 ? Infinity : Math.min(...this.#refused) - 1;
		const target = Math.min(this.#highest, ceiling);
		return target > this.#acked ? target : 0;
	}

	/** The application took message `id` (again, if the server redelivered it). */
	taken(id: number): void {
		// The server just delivered it, so whatever we thought, it is not acknowledged there.
		this.#acked = Math.min(this.#acked, id - 1);
		this.#highest = Math.max(this.#highest, id);
		this.#refused.delete(id);
		if (++this.#waiting >= this.#options.maxBatch) void this.flush();
		else this.#schedule();
	}

	/** A listener failed on message `id`: keep it (and so every later one) unacknowledged. */
	refused(id: number): void {
		this.#refused.add(id);
		this.#acked = Math.min(this.#acked, id - 1);
	}

	/** Sends what is owed now; resolves once answered (a failure leaves it owed). */
	async flush(): Promise<void> {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		for (let id = this.owed; id > 0; id = this.owed) {
			if (this.#sending) {
				await this.#sending;
				continue;
			}
			this.#waiting = 0;
			let sent = false;
			this.#sending = this.#options.send(id).then(
				() => {
					sent = true;
					this.#acked = Math.max(this.#acked, id);
				},
				() => undefined,
			);
			await this.#sending;
			this.#sending = undefined;
			if (!sent) return;
		}
	}

	/** Forgets everything (another user logged in). */
	reset(): void {
		this.stop();
		this.#highest = 0;
		this.#acked = 0;
		this.#waiting = 0;
		this.#refused.clear();
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#schedule(): void {
		if (this.#timer || this.owed === 0) return;
		this.#timer = setTimeout(() => {
			this.#timer = undefined;
			void this.flush();
		}, this.#options.intervalMs);
	}
}
