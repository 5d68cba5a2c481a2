import type { MessageRecord } from '../domain/types.js';

/** Where every pump of a server reads the queues: one object, shared. */
export type DeliverySource = {
	/** A user's queued messages after an id, oldest first. */
	readonly fetch: (user: string, afterId: number, limit: number) => Promise<MessageRecord[]>;
	/** Resolves once everything read so far is on disk. */
	readonly durable: () => Promise<void>;
	readonly maxInFlight: number;
	readonly pageSize: number;
	/**
	 * Counts the changes to stored messages heard of (edits, deletes, groups changed): live
	 * messages a pump held while it moved are read from the store again, as they are now.
	 */
	readonly changes: () => number;
};

// Rows of a first fetch; then doubled up to the source's page size while the reader keeps up.
const firstFetchSize = 4;
// Live messages a caught-up pump keeps while it cannot send; past this it reads the store again.
const maxHeld = 4096;

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
	/** Ids this connection sent itself (§7.1): passed over, never written back to it. */
	#own: Set<number> | undefined;
	/** SENDs under way on this connection: a message of the user's may be one of them. */
	#sendsUnderWay = 0;
	/** A message of the user's waits for a SEND under way to say whether it is this one's. */
	#heldForSend = false;
	/**
	 * Live messages offered while the pump was caught up but could not send (the socket full, the
	 * in-flight cap reached), from #heldHead on: together they are the queue after #lastSent, so
	 * once the reader drains they go out from memory instead of being read back from the store.
	 */
	#held: MessageRecord[] | undefined;
	#heldHead = 0;
	/** source.changes() when the first held message was kept. */
	#heldAtChange = 0;

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
		this.#dropHeld();
	}

	/**
	 * A live message for this user, announced once durable and in id order; `own` when this
	 * connection sent it (it then only moves the position an ACK may cover).
	 */
	offer(message: MessageRecord, own = false): void {
		if (message.id <= this.#lastSent || this.#stopped) return;
		if (own) (this.#own ??= new Set()).add(message.id);
		if (!this.#needsFetch && (this.#held || !this.#canSend())) {
			this.#hold(message);
			return;
		}
		if (this.#running || this.#needsFetch || !this.#canSend() || this.#mustWait(message)) {
			this.#dropHeld();
			this.#needsFetch = true;
			this.#dirty = true;
			void this.#pump();
			return;
		}
		this.#send(message);
	}

	/**
	 * A SEND starts on this connection. Until it is done, a message from the user that is not
	 * known to be this connection's waits: it may be the one being sent, whose 202 tells its id.
	 */
	sendStarted(): void {
		this.#sendsUnderWay++;
	}

	/** The SEND is done: `id` is its message (undefined when it failed). */
	sendFinished(id: number | undefined): void {
		this.#sendsUnderWay = Math.max(0, this.#sendsUnderWay - 1);
		if (id !== undefined && id > this.#lastSent) (this.#own ??= new Set()).add(id);
		if (this.#heldForSend && this.#sendsUnderWay === 0) {
			this.#heldForSend = false;
			this.wake();
		}
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
		this.#dropHeld();
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

	/** A message from the user that a SEND under way on this connection may have made. */
	#mustWait(message: MessageRecord): boolean {
		if (this.#sendsUnderWay === 0 || message.from !== this.user) return false;
		if (this.#own?.has(message.id)) return false;
		this.#heldForSend = true;
		return true;
	}

	/** Keeps a live message for when the pump can send again; too many, and the store has them. */
	#hold(message: MessageRecord): void {
		if (!this.#held) this.#heldAtChange = this.source.changes();
		const held = (this.#held ??= []);
		if (held.length - this.#heldHead >= maxHeld) {
			this.#dropHeld();
			this.#needsFetch = true;
			return;
		}
		held.push(message);
	}

	#dropHeld(): void {
		this.#held = undefined;
		this.#heldHead = 0;
	}

	/** Sends what was held while it can; false when a message must wait for a SEND under way. */
	#sendHeld(): boolean {
		const held = this.#held;
		if (!held) return true;
		if (this.source.changes() !== this.#heldAtChange) {
			// One of them may have been edited or deleted since: the store has it as it is now.
			this.#dropHeld();
			this.#needsFetch = true;
			return true;
		}
		while (this.#heldHead < held.length && this.#canSend()) {
			const message = held[this.#heldHead]!;
			if (message.id > this.#lastSent) {
				if (this.#mustWait(message)) {
					// sendFinished wakes the pump, which reads the store from #lastSent.
					this.#dropHeld();
					this.#needsFetch = true;
					return false;
				}
				this.#send(message);
			}
			this.#heldHead++;
		}
		if (this.#heldHead === held.length) this.#dropHeld();
		return true;
	}

	#send(message: MessageRecord): void {
		this.#lastSent = message.id;
		const own = this.#own;
		if (own) {
			const mine = own.delete(message.id);
			// Ids the queue no longer holds (ACKed elsewhere) are passed by: forget them.
			for (const id of own) if (id <= message.id) own.delete(id);
			if (own.size === 0) this.#own = undefined;
			// Its 202 carried the id; an ACK may now cover it.
			if (mine) return;
		}
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
			if (!this.#needsFetch && !this.#sendHeld()) return;
			while (this.#needsFetch && this.#canSend()) {
				this.#dirty = false;
				const size = Math.min(this.#fetchSize, this.source.pageSize);
				const rows = await this.source.fetch(this.user, this.#lastSent, size);
				// Never show a message that a crash could still take back.
				await this.source.durable();
				let sent = 0;
				for (const row of rows) {
					if (!this.#canSend()) break;
					if (row.id > this.#lastSent) {
						if (this.#mustWait(row)) break;
						this.#send(row);
					}
					sent++;
				}
				// sendFinished wakes the pump for the rest.
				if (this.#heldForSend) return;
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
