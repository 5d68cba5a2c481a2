import type { ChatStore } from '../domain/store.js';
import { reasonOf } from '../domain/error-reason.js';

/**
 * Whether the store can take writes, probed in the background so that a health check costs
 * nothing: each probe reads (the last message id) and writes (store.probeWritable: sql.js fsyncs a
 * small file in the data folder and sees a failed journal, PostgreSQL commits a one-row UPDATE).
 * PING answers 503 and /healthz 503 while the last probe failed, so a load balancer sends nobody
 * to a node whose database is out of reach, read-only or on a full disk.
 */
export class StoreHealth {
	#healthy = true;
	#reason = '';
	readonly #timer: NodeJS.Timeout;
	#probing = false;

	constructor(
		readonly store: ChatStore,
		readonly options: { readonly everyMs: number; readonly timeoutMs: number },
	) {
		this.#timer = setInterval(() => void this.probe(), options.everyMs);
		this.#timer.unref();
	}

	get healthy(): boolean {
		return this.#healthy;
	}

	/** Why the last probe failed (empty while healthy). */
	get reason(): string {
		return this.#reason;
	}

	async probe(): Promise<void> {
		if (this.#probing) return;
		this.#probing = true;
		const deadline = probeDeadline(this.options.timeoutMs);
		try {
			await Promise.race([
				Promise.all([this.store.lastMessageId(), this.store.probeWritable()]),
				deadline.expired,
			]);
			this.#healthy = true;
			this.#reason = '';
		} catch (error) {
			this.#healthy = false;
			this.#reason = reasonOf(error);
		} finally {
			deadline.cancel();
			this.#probing = false;
		}
	}

	stop(): void {
		clearInterval(this.#timer);
	}
}

// A probe never gets longer than this many timeouts, however busy the loop is.
const hardLimitFactor = 5;

/**
 * Rejects once the probe has had `timeoutMs` of the event loop's idle time, or 5 × timeoutMs
 * in all. A loop busy with other work (a thousand clients logging in at once) delays the probe's
 * answer without the database being at fault: counting only the time the loop sat waiting keeps
 * a busy node from calling itself broken, so a load balancer does not send its clients away.
 */
function probeDeadline(timeoutMs: number): { expired: Promise<never>; cancel: () => void } {
	const started = performance.now();
	const loopAtStart = performance.eventLoopUtilization();
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		const check = () => {
			const elapsed = performance.now() - started;
			const idle = performance.eventLoopUtilization(loopAtStart).idle;
			if (idle >= timeoutMs || elapsed >= hardLimitFactor * timeoutMs) {
				reject(new Error(`no answer within ${Math.round(elapsed)} ms`));
			} else {
				timer = setTimeout(check, Math.max(10, timeoutMs - idle));
			}
		};
		timer = setTimeout(check, timeoutMs);
	});
	// Nobody may be listening by the time it rejects.
	expired.catch(() => undefined);
	return { expired, cancel: () => clearTimeout(timer) };
}
