import { EventEmitter } from 'node:events';
import { blankGrid, type CellGrid } from './cell-grid.js';
import { paintFrame } from './paint-frame.js';
import { parseFrame } from './parse-frame.js';
import type { Pen } from './screen-diff.js';

/** The terminal the writer draws on: process.stdout, or a terminal in memory in tests. */
export type TerminalOutput = {
	readonly columns?: number;
	readonly rows?: number;
	readonly isTTY?: boolean;
	write(data: string): unknown;
	on(event: 'resize', listener: () => void): unknown;
	off(event: 'resize', listener: () => void): unknown;
};

export type ScreenWriterOptions = {
	/** At most one write to the terminal per this many milliseconds (the first at once). */
	readonly frameIntervalMs?: number;
	readonly now?: () => number;
};

const hideCursor = '\u001b[?25l';
const clearScreen = '\u001b[m\u001b[H\u001b[2J';
/** Synchronized output (DEC mode 2026): a terminal that knows it shows a big change at once. */
const beginSync = '\u001b[?2026h';
const endSync = '\u001b[?2026l';
/** Below this a write is a few cells: no tearing to hide, and the bytes matter more. */
const syncFromBytes = 512;

/**
 * Draws whole frames the way curses does. Ink renders with `debug: true` into this stream, one
 * whole frame per write; the writer keeps the cells the terminal shows, and writes only the
 * cursor moves and changed cells that turn them into the newest frame, at most once per
 * interval. It stands in for the terminal towards Ink: its size, isTTY and 'resize'.
 */
export class ScreenWriter extends EventEmitter {
	readonly isTTY = true;
	readonly #terminal: TerminalOutput;
	readonly #intervalMs: number;
	readonly #now: () => number;
	#shown: CellGrid | undefined;
	#pen: Pen = { row: -1, column: Number.NaN, style: '' };
	#pending: string | undefined;
	#last = '';
	#lastWriteAt = Number.NEGATIVE_INFINITY;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(terminal: TerminalOutput, options: ScreenWriterOptions = {}) {
		super();
		this.#terminal = terminal;
		this.#intervalMs = options.frameIntervalMs ?? 16;
		this.#now = options.now ?? (() => performance.now());
		terminal.on('resize', this.#resized);
	}

	get columns(): number {
		return this.#terminal.columns || 80;
	}

	get rows(): number {
		return this.#terminal.rows || 24;
	}

	/** Takes one whole frame; draws it now, or at the end of the interval if one was just drawn. */
	write(frame: string): boolean {
		if (this.#closed) return true;
		this.#pending = frame;
		if (this.#timer) return true;
		const wait = this.#lastWriteAt + this.#intervalMs - this.#now();
		if (wait <= 0) this.#flush();
		else this.#timer = setTimeout(this.#flush, wait);
		return true;
	}

	/** Forgets what the terminal shows: the next frame is drawn whole on a cleared screen. */
	invalidate(): void {
		this.#shown = undefined;
	}

	/** Writes text that is not a frame (a stray console line), then draws the last frame again. */
	interject(text: string): void {
		if (this.#closed) return;
		this.#emit(`\u001b[m\u001b[${this.rows};1H\r\n${text}`);
		this.invalidate();
		this.write(this.#pending ?? this.#last);
	}

	/** Stops drawing: a frame still waiting is dropped (the screen is being left). */
	close(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
		this.#timer = undefined;
		this.#terminal.off('resize', this.#resized);
	}

	#flush = (): void => {
		this.#timer = undefined;
		const frame = this.#pending;
		if (frame === undefined || this.#closed) return;
		this.#pending = undefined;
		this.#last = frame;
		this.#lastWriteAt = this.#now();
		const next = parseFrame(frame, this.columns, this.rows);
		let prefix = '';
		if (!this.#shown || this.#shown.columns !== next.columns || this.#shown.rows !== next.rows) {
			prefix = hideCursor + clearScreen;
			this.#shown = blankGrid(next.columns, next.rows);
			this.#pen = { row: 0, column: 0, style: '' };
		}
		const paint = paintFrame(this.#shown, next, this.#pen);
		this.#shown = next;
		const bytes = prefix + paint;
		if (bytes === '') return;
		this.#emit(bytes.length >= syncFromBytes ? beginSync + bytes + endSync : bytes);
	};

	#emit(bytes: string): void {
		this.#terminal.write(bytes);
	}

	#resized = (): void => {
		// The terminal reflowed or cut what it showed: start again from a cleared screen.
		this.invalidate();
		this.emit('resize');
		if (this.#pending === undefined && this.#last !== '') this.write(this.#last);
	};
}
