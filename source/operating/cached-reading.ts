/**
 * A value read from somewhere costly (a database query), reused for `maxAgeMs`: however often
 * it is asked for, at most one read runs at a time and one starts per `maxAgeMs`. A failed read
 * keeps the last value, and so does a slow one after `waitMs` (it goes on in the background).
 */
export class CachedReading {
	#value: number | undefined;
	#readAt = Number.NEGATIVE_INFINITY;
	#reading: Promise<number | undefined> | undefined;

	constructor(
		readonly source: () => Promise<number | undefined>,
		readonly maxAgeMs: number,
		readonly waitMs = 1000,
		readonly clock: () => number = () => performance.now(),
	) {}

	read(): Promise<number | undefined> {
		if (this.clock() - this.#readAt < this.maxAgeMs) return Promise.resolve(this.#value);
		this.#reading ??= this.#refresh().finally(() => {
			this.#reading = undefined;
		});
		let timer: NodeJS.Timeout | undefined;
		const late = new Promise<number | undefined>((resolve) => {
			timer = setTimeout(() => resolve(this.#value), this.waitMs);
		});
		return Promise.race([this.#reading, late]).finally(() => clearTimeout(timer));
	}

	async #refresh(): Promise<number | undefined> {
		try {
			const value = await this.source();
			if (value !== undefined) this.#value = value;
		} catch {
			// The storage's trouble shows in /healthz; the gauge keeps its last value.
		}
		this.#readAt = this.clock();
		return this.#value;
	}
}
