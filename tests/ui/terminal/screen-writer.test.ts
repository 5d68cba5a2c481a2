import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { ScreenWriter } from '../../../source/ui/terminal/screen-writer.js';
import { freshFrameBytes, XtermScreen } from '../../helpers/xterm-screen.js';
import { frameSequence } from './frame-arbitraries.js';

/** A terminal's output side in memory: what the writer writes, and a size that can change. */
class TerminalSink extends EventEmitter {
	readonly isTTY = true;
	chunks: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}
	write(data: string): boolean {
		this.chunks.push(data);
		return true;
	}
	take(): string {
		return this.chunks.splice(0).join('');
	}
}

const screens: XtermScreen[] = [];
const screen = (columns: number, rows: number) => {
	const made = new XtermScreen(columns, rows);
	screens.push(made);
	return made;
};
afterEach(() => {
	for (const made of screens.splice(0)) made.dispose();
});

describe('ScreenWriter on a real terminal emulator (xterm.js)', () => {
	test('after every frame the screen shows exactly what drawing that frame afresh shows', async () => {
		await fc.assert(
			fc.asyncProperty(frameSequence, async ({ columns, rows, frames }) => {
				const sink = new TerminalSink(columns, rows);
				const writer = new ScreenWriter(sink, { frameIntervalMs: 0 });
				const incremental = screen(columns, rows);
				const fresh = screen(columns, rows);
				try {
					for (const frame of frames) {
						writer.write(frame);
						await incremental.write(sink.take());
						await fresh.write(freshFrameBytes(frame));
						expect(incremental.cells()).toEqual(fresh.cells());
					}
				} finally {
					writer.close();
					incremental.dispose();
					fresh.dispose();
				}
			}),
			{ numRuns: 300 },
		);
	});
});

describe('ScreenWriter towards Ink and the terminal', () => {
	test('a frame right after another waits for the interval, and only the newest is drawn', async () => {
		const sink = new TerminalSink(20, 3);
		const writer = new ScreenWriter(sink, { frameIntervalMs: 30 });
		const shown = screen(20, 3);
		try {
			writer.write('one');
			expect(sink.chunks).toHaveLength(1);
			writer.write('two');
			writer.write('three');
			expect(sink.chunks).toHaveLength(1);
			await new Promise((resolve) => setTimeout(resolve, 80));
			expect(sink.chunks).toHaveLength(2);
			await shown.write(sink.take());
			expect(shown.text().split('\n')[0]).toBe('three');
		} finally {
			writer.close();
		}
	});

	test('forwards the size and resize, and after a resize draws the frame whole on a cleared screen', async () => {
		const sink = new TerminalSink(10, 3);
		const writer = new ScreenWriter(sink, { frameIntervalMs: 0 });
		const shown = screen(10, 3);
		const resizes: number[] = [];
		writer.on('resize', () => resizes.push(writer.columns));
		try {
			writer.write('abcdefghij\nsecond\nthird');
			await shown.write(sink.take());
			sink.columns = 6;
			shown.resize(6, 3);
			sink.emit('resize');
			expect(resizes).toEqual([6]);
			writer.write('abcdef\nnarrow');
			await shown.write(sink.take());
			const fresh = screen(6, 3);
			await fresh.write(freshFrameBytes('abcdef\nnarrow'));
			expect(shown.cells()).toEqual(fresh.cells());
		} finally {
			writer.close();
		}
	});

	test('a keystroke-sized change writes a few bytes; nothing at all when the frame is unchanged', () => {
		const sink = new TerminalSink(120, 40);
		const writer = new ScreenWriter(sink, { frameIntervalMs: 0 });
		const body = Array.from({ length: 39 }, (_, row) => `\u001b[36mrow ${row}\u001b[39m`).join(
			'\n',
		);
		try {
			writer.write(`${body}\n> hello`);
			sink.take();
			writer.write(`${body}\n> hello!`);
			// The cursor already stands after 'hello': one byte.
			expect(sink.take()).toBe('!');
			writer.write(`${body}\n> hello!`);
			expect(sink.chunks).toEqual([]);
		} finally {
			writer.close();
		}
	});

	test('text that is not a frame is written, then the last frame drawn again over it', async () => {
		const sink = new TerminalSink(10, 2);
		const writer = new ScreenWriter(sink, { frameIntervalMs: 0 });
		const shown = screen(10, 2);
		try {
			writer.write('top\nbottom');
			writer.interject('stray\r\n');
			await shown.write(sink.take());
			expect(shown.text()).toBe('top\nbottom');
		} finally {
			writer.close();
		}
	});
});
