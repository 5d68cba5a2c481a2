import { StorageClosedError } from '../domain/storage-errors.js';
import { encodeResponse, errorResponse } from '../protocol/encoder.js';
import type { OutgoingResponse } from '../protocol/frame.js';
import { Status } from '../protocol/status.js';

/** Where an outbox writes, and whom it tells of a failed durability barrier. */
export interface OutboxTarget {
	writeResponse(bytes: Buffer): void;
	storageFailed(error: Error): void;
}

/**
 * A response not yet written because one before it is not (or its barrier has not settled), or
 * an action to run once every response before it is written.
 */
type Pending = {
	response: OutgoingResponse | undefined;
	readonly action: (() => void) | undefined;
	/** Settles once the request's writes are on disk; the response waits for it. */
	readonly barrier: Promise<void> | undefined;
	ready: boolean;
};

export const storageFailedResponse = errorResponse(
	Status.internalError,
	"the server's storage failed; this request may not have been done",
);

/**
 * One connection's responses in request order: each waits for the ones before it and for its
 * durability barrier; actions (start delivery, close) run once every response before them is out.
 */
export class ResponseOutbox {
	/** Responses and actions waiting, in request order; undefined while nothing waits. */
	#waiting: Pending[] | undefined;
	/** About how many bytes the waiting responses hold (their bodies). */
	#waitingBytes = 0;

	constructor(readonly target: OutboxTarget) {}

	/** Whether responses or actions wait (for a barrier or an earlier response). */
	get busy(): boolean {
		return this.#waiting !== undefined;
	}

	/** About how many bytes of responses wait to be written. */
	get waitingBytes(): number {
		return this.#waitingBytes;
	}

	/** Writes a response after the earlier ones; one with a barrier waits until it settles. */
	respond(requestId: string | undefined, response: OutgoingResponse, barrier?: Promise<void>) {
		const withId: OutgoingResponse =
			requestId === undefined
				? response
				: { ...response, headers: [...(response.headers ?? []), ['Request-Id', requestId]] };
		const waiting = this.#waiting;
		if (barrier === undefined && waiting === undefined) {
			this.target.writeResponse(encodeResponse(withId));
			return;
		}
		const ready = barrier === undefined;
		const pending: Pending = { response: withId, action: undefined, barrier, ready };
		this.#waitingBytes += withId.body?.length ?? 0;
		const previous = waiting?.[waiting.length - 1];
		if (waiting) waiting.push(pending);
		else this.#waiting = [pending];
		// Requests answered before the same fsync share its promise: the listener that the first
		// of them set marks all of them ready.
		if (barrier && (previous?.barrier !== barrier || previous.ready)) {
			barrier.then(
				() => this.#barrierSettled(barrier, false),
				(error: unknown) => {
					if (error instanceof Error && !(error instanceof StorageClosedError)) {
						this.target.storageFailed(error);
					}
					this.#barrierSettled(barrier, true);
				},
			);
		}
	}

	/** Runs `action` once every response so far is written. */
	afterResponses(action: () => void): void {
		if (this.#waiting === undefined) action();
		else this.#waiting.push({ response: undefined, action, barrier: undefined, ready: true });
	}

	#barrierSettled(barrier: Promise<void>, failed: boolean): void {
		const waiting = this.#waiting;
		if (!waiting) return;
		for (const pending of waiting) {
			if (pending.barrier !== barrier || pending.ready) continue;
			pending.ready = true;
			if (failed) {
				this.#waitingBytes -= bodyLength(pending);
				pending.response = storageFailedResponse;
				this.#waitingBytes += bodyLength(pending);
			}
		}
		while (waiting.length > 0 && waiting[0]!.ready) {
			const next = waiting.shift()!;
			if (next.response) {
				this.#waitingBytes -= bodyLength(next);
				this.target.writeResponse(encodeResponse(next.response));
			} else next.action?.();
		}
		if (waiting.length === 0 && this.#waiting === waiting) this.#waiting = undefined;
	}
}

const bodyLength = (pending: Pending) => pending.response?.body?.length ?? 0;
