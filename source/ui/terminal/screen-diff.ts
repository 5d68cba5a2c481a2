import { wideTail, type CellGrid } from './cell-grid.js';
import { isErasable, sgrTransition, type StyleKey } from './sgr-style.js';

/** Where the terminal's cursor is and what style it writes with; `column` NaN when not known. */
export type Pen = { row: number; column: number; style: StyleKey };

/** Equal cells between two changes that cost less to rewrite than to jump over. */
const mergeGap = 3;

/** The shortest cursor move from the pen's place to (`row`, `column`), 0-based. */
export function moveTo(pen: Pen, row: number, column: number): string {
	if (pen.row === row && pen.column === column) return '';
	let move: string;
	if (pen.row === row && column > pen.column) {
		const n = column - pen.column;
		move = n === 1 ? '\u001b[C' : `\u001b[${n}C`;
	} else if (pen.row === row && column === 0) {
		move = '\r';
	} else if (pen.row === row && column < pen.column) {
		const n = pen.column - column;
		move = n === 1 ? '\b' : `\u001b[${n}D`;
	} else {
		move = column === 0 ? `\u001b[${row + 1}H` : `\u001b[${row + 1};${column + 1}H`;
	}
	pen.row = row;
	pen.column = column;
	return move;
}

/**
 * The bytes that turn a terminal showing `shown` into one showing `next` (same size): per row,
 * a cursor move and the changed runs of cells with the fewest SGR changes, and EL (erase to end
 * of line) where the rest of the row turns blank. `pen` is updated to where the bytes leave it.
 */
export function diffGrids(shown: CellGrid, next: CellGrid, pen: Pen): string {
	const out: string[] = [];
	for (let row = 0; row < next.rows; row++) diffRow(shown, next, row, pen, out);
	return out.join('');
}

function diffRow(shown: CellGrid, next: CellGrid, row: number, pen: Pen, out: string[]): void {
	const columns = next.columns;
	const oldChars = shown.chars[row]!;
	const oldStyles = shown.styles[row]!;
	const newChars = next.chars[row]!;
	const newStyles = next.styles[row]!;
	const differs = (column: number) =>
		oldChars[column] !== newChars[column] || oldStyles[column] !== newStyles[column];
	let first = 0;
	while (first < columns && !differs(first)) first += 1;
	if (first === columns) return;
	// The blank tail of the new row, from which one EL draws it.
	let tail = columns;
	while (tail > 0 && newChars[tail - 1] === ' ' && isErasable(newStyles[tail - 1]!)) tail -= 1;
	let column = first;
	while (column < tail) {
		if (!differs(column)) {
			column += 1;
			continue;
		}
		// A changed grapheme's cells all differ, wide ones too: a run never splits one.
		const start = column;
		let end = column;
		for (let gap = 0; end + 1 < tail && gap <= mergeGap;) {
			end += 1;
			if (differs(end)) gap = 0;
			else gap += 1;
		}
		while (end > column && !differs(end)) end -= 1;
		writeRun(next, row, start, end, pen, out);
		column = end + 1;
	}
	let firstStale = Math.max(tail, column);
	while (firstStale < columns && !differs(firstStale)) firstStale += 1;
	if (firstStale < columns) {
		out.push(moveTo(pen, row, firstStale), sgrTransition(pen.style, newStyles[firstStale]!));
		pen.style = newStyles[firstStale]!;
		out.push('\u001b[K');
	}
}

/** Writes cells `start`..`end` of `row` of `next`, moving the pen there first. */
function writeRun(
	next: CellGrid,
	row: number,
	start: number,
	end: number,
	pen: Pen,
	out: string[],
): void {
	const chars = next.chars[row]!;
	const styles = next.styles[row]!;
	out.push(moveTo(pen, row, start));
	for (let column = start; column <= end; column++) {
		const char = chars[column]!;
		if (char === wideTail) continue;
		const style = styles[column]!;
		if (style !== pen.style) {
			out.push(sgrTransition(pen.style, style));
			pen.style = style;
		}
		out.push(char);
	}
	// After the last column the terminal waits to wrap: where the cursor is, is not known.
	if (end >= next.columns - 1) pen.column = Number.NaN;
	else pen.column = end + 1;
}
