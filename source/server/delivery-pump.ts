import type { MessageRecord } from '../domain/types.js';

export type DeliveryPumpOptions = {
	/** Queued messages after an id, oldest first. */
	readonly fetch: (afterId: number, limit: number) => Promise<MessageRecord[]>;
	/** Resolves once everything read so far is on disk. */
	readonly durable: () => Promise<void>;
	readonly push: (message: MessageRecord) => void;
	/** False while the socket's send buffer is full. */
	readonly canWrite: () => boolean;
	readonly maxInFlight: number;
	readonly pageSize: number;
};

/**
 * Streams one connection's share of a user's queue: the backlog from storage page by page as the
 * reader drains, then live messages directly. Pauses on a full send buffer or too many unacked.
 */
export class DeliveryPump {
	#lastSent = 0;
	#needsFetch = true;
	#running = false;
	#dirty = false;
	#stopped = false;
	// Nothing goes out before start(): the response that bound the session comes first.
	#started = false;
	#inFlight: number[] = [];
	#inFlightHead = 0;

	constructor(readonly options: DeliveryPumpOptions) {}

	get lastSent(): number {
		return this.#lastSent;
	}

	start(): void {
		this.#started = true;
		this.#needsFetch = true;
		void this.#pump();
	}

	stop(): void {
		this.#stopped = true;
	}

	/** A live message for this user, announced once durable and in id order. */
	offer(message: MessageRecord): void {
		if (message.id <= this.#lastSent || this.#stopped) return;
		if (this.#running || this.#needsFetch || !this.#canSend()) {
			this.#needsFetch = true;
			this.#dirty = true;
			void this.#pump();
			return;
		}
		this.#send(message);
	}

	acknowledged(id: number): void {
		while (
			this.#inFlightHead < this.#inFlight.length &&
			this.#inFlight[this.#inFlightHead]! <= id
		) {
			this.#inFlightHead++;
		}
		if (this.#inFlightHead > 1024) {
			this.#inFlight = this.#inFlight.slice(this.#inFlightHead);
			this.#inFlightHead = 0;
		}
		void this.#pump();
	}

	/** The socket drained. */
	writable(): void {
		void this.#pump();
	}

	#canSend(): boolean {
		return (
			this.#started &&
			!this.#stopped &&
			this.options.canWrite() &&
			this.#inFlight.length - this.#inFlightHead < this.options.maxInFlight
		);
	}

	#send(message: MessageRecord): void {
		this.#lastSent = message.id;
		this.#inFlight.push(message.id);
		this.options.push(message);
	}

	async #pump(): Promise<void> {
		if (this.#running) {
			this.#dirty = true;
			return;
		}
		this.#running = true;
		try {
			while (this.#needsFetch && this.#canSend()) {
				this.#dirty = false;
				const { pageSize } = this.options;
				const rows = await this.options.fetch(this.#lastSent, pageSize);
				// Never show a message that a crash could still take back.
				await this.options.durable();
				let sent = 0;
				for (const row of rows) {
					if (!this.#canSend()) break;
					if (row.id > this.#lastSent) this.#send(row);
					sent++;
				}
				if (sent === rows.length && rows.length < pageSize && !this.#dirty) {
					this.#needsFetch = false;
				}
			}
		} catch {
			// Storage failed: the connection's requests report it; the queue stays for later.
			this.#needsFetch = true;
		} finally {
			this.#running = false;
		}
	}
}
