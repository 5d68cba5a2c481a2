/**
 * Remembers which message ids were already surfaced. The server delivers a user's queue in id
 * order, so after a re-bind the redelivered messages are the oldest unacknowledged ones: a floor
 * (every id at or below it counts as seen) plus a bounded set of recent ids above it is enough,
 * and tolerates a few ids arriving out of order.
 */
export class MessageDeduper {
	#floor = 0;
	readonly #recent = new Set<number>();

	constructor(readonly capacity = 4096) {}

	/** Every id at or below this counts as seen. */
	get floor(): number {
		return this.#floor;
	}

	hasSeen(id: number): boolean {
		return id <= this.#floor || this.#recent.has(id);
	}

	remember(id: number): void {
		if (this.hasSeen(id)) return;
		this.#recent.add(id);
		if (this.#recent.size <= this.capacity) return;
		// Forget the oldest half at once, so this sort runs rarely.
		const sorted = [...this.#recent].sort((a, b) => a - b);
		for (const old of sorted.slice(0, sorted.length - Math.floor(this.capacity / 2))) {
			this.#recent.delete(old);
			this.#floor = Math.max(this.#floor, old);
		}
	}

	reset(): void {
		this.#floor = 0;
		this.#recent.clear();
	}
}
