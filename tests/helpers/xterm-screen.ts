import xterm from '@xterm/headless';
import stringWidth from 'string-width';

/**
 * xterm.js measures with Unicode 6 by default (an emoji is one cell); modern terminals, and the
 * UI through string-width, give it two. This provider makes the emulator measure as the UI does.
 * Its property value packs (width << 1) | joins-the-previous, as xterm.js's own providers do.
 */
const stringWidthProvider: xterm.IUnicodeVersionProvider = {
	version: 'string-width',
	wcwidth: (codepoint) => Math.min(2, stringWidth(String.fromCodePoint(codepoint))) as 0 | 1 | 2,
	charProperties(codepoint, preceding) {
		let width = stringWidthProvider.wcwidth(codepoint);
		let joins = width === 0 && preceding !== 0;
		if (joins) {
			const before = (preceding >> 1) & 3;
			if (before === 0) joins = false;
			else if (before > width) width = before as 1 | 2;
		}
		return (width << 1) | (joins ? 1 : 0);
	},
};

/** One cell as a real terminal emulator (xterm.js) shows it: its text and every attribute. */
export type ShownCell = string;

/** A headless xterm.js of `columns` × `rows`: bytes in, the cells it shows out. */
export class XtermScreen {
	readonly terminal: xterm.Terminal;

	constructor(columns: number, rows: number) {
		this.terminal = new xterm.Terminal({ cols: columns, rows, allowProposedApi: true });
		this.terminal.unicode.register(stringWidthProvider);
		this.terminal.unicode.activeVersion = stringWidthProvider.version;
	}

	write(data: string): Promise<void> {
		return new Promise((resolve) => this.terminal.write(data, resolve));
	}

	resize(columns: number, rows: number): void {
		this.terminal.resize(columns, rows);
	}

	/** Every cell of the viewport as "char|width|fg|bg|flags", row by row. */
	cells(): ShownCell[][] {
		const buffer = this.terminal.buffer.active;
		const cell = buffer.getNullCell();
		const screen: ShownCell[][] = [];
		for (let y = 0; y < this.terminal.rows; y++) {
			const line = buffer.getLine(buffer.viewportY + y)!;
			const row: ShownCell[] = [];
			for (let x = 0; x < this.terminal.cols; x++) {
				line.getCell(x, cell);
				const flags = [
					cell.isBold(),
					cell.isDim(),
					cell.isItalic(),
					cell.isUnderline(),
					cell.isBlink(),
					cell.isInverse(),
					cell.isInvisible(),
					cell.isStrikethrough(),
				]
					.map((flag) => (flag ? 1 : 0))
					.join('');
				const fg = `${cell.getFgColorMode()}:${cell.getFgColor()}`;
				const bg = `${cell.getBgColorMode()}:${cell.getBgColor()}`;
				// A cleared cell holds nothing, a written blank a space: both show a blank.
				const chars = cell.getChars() || (cell.getWidth() === 0 ? '' : ' ');
				row.push(`${chars}|${cell.getWidth()}|${fg}|${bg}|${flags}`);
			}
			screen.push(row);
		}
		return screen;
	}

	/** The viewport as plain text, one line per row. */
	text(): string {
		const buffer = this.terminal.buffer.active;
		return Array.from({ length: this.terminal.rows }, (_, y) =>
			buffer.getLine(buffer.viewportY + y)!.translateToString(true),
		).join('\n');
	}

	dispose(): void {
		this.terminal.dispose();
	}
}

/** The bytes that draw `frame` (lines joined by '\n') whole on a cleared screen, top to bottom. */
export function freshFrameBytes(frame: string): string {
	return `\u001b[m\u001b[H\u001b[2J${frame.split('\n').join('\r\n')}`;
}
