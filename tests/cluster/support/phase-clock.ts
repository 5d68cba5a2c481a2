/**
 * Times the phases of a long test and prints them as one line, pass or fail, so that a CI run
 * that was slow or timed out says which phase took the time.
 */
export class PhaseClock {
	readonly #name: string;
	readonly #started = Date.now();
	#lapStarted = this.#started;
	readonly #laps: string[] = [];
	readonly #notes: string[] = [];

	constructor(name: string) {
		this.#name = name;
	}

	/** Ends the current phase under `phase`. */
	lap(phase: string): void {
		const now = Date.now();
		this.#laps.push(`${phase} ${now - this.#lapStarted} ms`);
		this.#lapStarted = now;
	}

	/** Adds a fact to the summary (a count, a measured delay). */
	note(fact: string): void {
		this.#notes.push(fact);
	}

	/** The summary so far: phases, then facts, then the total. */
	summary(): string {
		const parts = [...this.#laps, ...this.#notes, `total ${Date.now() - this.#started} ms`];
		return `${this.#name}: ${parts.join('; ')}`;
	}

	print(): void {
		console.log(this.summary());
	}
}

/** `promise`, or a rejection naming `what` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what()} (waited ${ms} ms)`)), ms);
	});
	try {
		return await Promise.race([promise, expired]);
	} finally {
		clearTimeout(timer);
	}
}
