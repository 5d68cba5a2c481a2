import type { LogFields, Logger } from '../domain/logger.js';

export type LogRateLimits = {
	/** Lines written per key in one window; the rest are counted, not written. */
	readonly maxPerWindow: number;
	readonly windowMs: number;
	readonly clock: () => number;
};

export const defaultLogRateLimits: LogRateLimits = {
	maxPerWindow: 10,
	windowMs: 10_000,
	clock: Date.now,
};

type Level = 'debug' | 'info' | 'warn' | 'error';

type Window = {
	readonly startedAt: number;
	readonly level: Level;
	readonly event: string;
	readonly reason: string | undefined;
	written: number;
	suppressed: number;
};

/**
 * A Logger for the noisy lines (refused and dropped connections): at most `maxPerWindow` lines per
 * event and reason in each window, then one summary line saying how many more were suppressed, so
 * that a flood cannot fill the disk.
 */
export class LogRateLimiter implements Logger {
	readonly #windows = new Map<string, Window>();

	constructor(
		readonly target: Logger,
		readonly limits: LogRateLimits = defaultLogRateLimits,
	) {}

	debug(fields: LogFields, message: string): void {
		this.#log('debug', fields, message);
	}

	info(fields: LogFields, message: string): void {
		this.#log('info', fields, message);
	}

	warn(fields: LogFields, message: string): void {
		this.#log('warn', fields, message);
	}

	error(fields: LogFields, message: string): void {
		this.#log('error', fields, message);
	}

	/** Writes the summary of every window that has ended (call it now and then, and at the end). */
	flush(all = false): void {
		const now = this.limits.clock();
		for (const [key, window] of this.#windows) {
			if (all || now - window.startedAt >= this.limits.windowMs) {
				this.#windows.delete(key);
				this.#summarise(window);
			}
		}
	}

	#log(level: Level, fields: LogFields, message: string): void {
		const event = typeof fields.event === 'string' ? fields.event : 'unnamed';
		const reason = typeof fields.reason === 'string' ? fields.reason : undefined;
		const key = `${event}\u0000${reason ?? ''}`;
		const now = this.limits.clock();
		let window = this.#windows.get(key);
		if (window && now - window.startedAt >= this.limits.windowMs) {
			this.#windows.delete(key);
			this.#summarise(window);
			window = undefined;
		}
		if (!window) {
			window = { startedAt: now, level, event, reason, written: 0, suppressed: 0 };
			this.#windows.set(key, window);
		}
		if (window.written < this.limits.maxPerWindow) {
			window.written++;
			this.target[level](fields, message);
		} else {
			window.suppressed++;
		}
	}

	#summarise(window: Window): void {
		if (window.suppressed === 0) return;
		const { event, reason, suppressed, level } = window;
		const seconds = this.limits.windowMs / 1000;
		this.target[level](
			{ event, ...(reason === undefined ? {} : { reason }), suppressed, windowSeconds: seconds },
			`${suppressed} more ${event}${reason === undefined ? '' : ` (${reason})`} lines suppressed in ${seconds} s`,
		);
	}
}
