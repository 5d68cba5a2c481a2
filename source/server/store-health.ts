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
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(
				() => reject(new Error(`no answer within ${this.options.timeoutMs} ms`)),
				this.options.timeoutMs,
			);
		});
		try {
			await Promise.race([
				Promise.all([this.store.lastMessageId(), this.store.probeWritable()]),
				timeout,
			]);
			this.#healthy = true;
			this.#reason = '';
		} catch (error) {
			this.#healthy = false;
			this.#reason = reasonOf(error);
		} finally {
			clearTimeout(timer);
			this.#probing = false;
		}
	}

	stop(): void {
		clearInterval(this.#timer);
	}
}
