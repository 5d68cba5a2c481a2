import type { MessageRecord } from '../domain/types.js';

/** Where every pump of a server reads the queues: one object, shared. */
export type DeliverySource = {
	/** A user's queued messages after an id, oldest first. */
	readonly fetch: (user: string, afterId: number, limit: number) => Promise<MessageRecord[]>;
	/** Resolves once everything read so far is on disk. */
	readonly durable: () => Promise<void>;
	readonly maxInFlight: number;
	readonly pageSize: number;
};

// Rows of a first fetch; then doubled up to the source's page size while the reader keeps up.
const firstFetchSize = 4;

/** The connection a pump writes to. */
export interface DeliverySink {
	deliver(message: MessageRecord): void;
	/** False while the socket's send buffer is full. */
	canDeliver(): boolean;
}

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
	/** Ids sent and not yet acknowledged, from #inFlightHead on; made on the first send. */
	#inFlight: number[] | undefined;
	#inFlightHead = 0;
	/**
	 * Rows asked of the store next: it grows while every row fetched is sent and shrinks to what
	 * the socket took, so a reader that has stopped does not cost a page of large rows per wake.
	 */
	#fetchSize = firstFetchSize;

	constructor(
		readonly user: string,
		readonly sink: DeliverySink,
		readonly source: DeliverySource,
	) {}

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
		const inFlight = this.#inFlight;
		if (inFlight) {
			while (this.#inFlightHead < inFlight.length && inFlight[this.#inFlightHead]! <= id) {
				this.#inFlightHead++;
			}
			if (this.#inFlightHead === inFlight.length) {
				// All acknowledged: an idle pump keeps no list.
				this.#inFlight = undefined;
				this.#inFlightHead = 0;
			} else if (this.#inFlightHead > 1024) {
				this.#inFlight = inFlight.slice(this.#inFlightHead);
				this.#inFlightHead = 0;
			}
		}
		void this.#pump();
	}

	/** Messages may have been committed that no live offer told of: read the queue again. */
	wake(): void {
		if (this.#stopped) return;
		this.#needsFetch = true;
		this.#dirty = true;
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
			this.sink.canDeliver() &&
			this.#unacknowledged() < this.source.maxInFlight
		);
	}

	#unacknowledged(): number {
		return this.#inFlight ? this.#inFlight.length - this.#inFlightHead : 0;
	}

	#send(message: MessageRecord): void {
		this.#lastSent = message.id;
		(this.#inFlight ??= []).push(message.id);
		this.sink.deliver(message);
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
				const size = Math.min(this.#fetchSize, this.source.pageSize);
				const rows = await this.source.fetch(this.user, this.#lastSent, size);
				// Never show a message that a crash could still take back.
				await this.source.durable();
				let sent = 0;
				for (const row of rows) {
					if (!this.#canSend()) break;
					if (row.id > this.#lastSent) this.#send(row);
					sent++;
				}
				this.#fetchSize = sent === rows.length ? size * 2 : Math.max(1, sent);
				if (sent === rows.length && rows.length < size && !this.#dirty) {
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
