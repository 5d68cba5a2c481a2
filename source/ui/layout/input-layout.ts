import type { TextInput } from '../state/text-input.js';
import { graphemes, textWidth } from '../text/text-width.js';

/** One screen line of a text field; the cursor row splits around the character under the cursor. */
export type InputRow = {
	readonly key: string;
	readonly before: string;
	/** The character under the cursor (a space at the end of the text); only on the cursor row. */
	readonly at?: string;
	readonly after: string;
};

type Cell = { readonly text: string; readonly start: number };

/** Graphemes of one logical line, with their index in the whole text. */
function cells(line: string, offset: number): Cell[] {
	let start = offset;
	return graphemes(line).map((text) => {
		const cell = { text, start };
		start += text.length;
		return cell;
	});
}

/** Cuts cells into screen rows of at most `width` columns (characters are never split). */
function chunk(line: Cell[], width: number): Cell[][] {
	const rows: Cell[][] = [[]];
	let used = 0;
	for (const cell of line) {
		const size = textWidth(cell.text);
		if (used + size > width && rows.at(-1)!.length > 0) {
			rows.push([]);
			used = 0;
		}
		rows.at(-1)!.push(cell);
		used += size;
	}
	return rows;
}

function toRow(key: string, row: Cell[], cursor: number | undefined): InputRow {
	const join = (part: Cell[]) => part.map((cell) => cell.text).join('');
	if (cursor === undefined) return { key, before: join(row), after: '' };
	const index = row.findIndex((cell) => cell.start >= cursor);
	if (index === -1) return { key, before: join(row), at: ' ', after: '' };
	return {
		key,
		before: join(row.slice(0, index)),
		at: row[index]!.text,
		after: join(row.slice(index + 1)),
	};
}

/**
 * The rows of a (possibly multi-line) input wrapped to `width`, at most `maxRows` of them, always
 * including the cursor's row. `mask` replaces every character (passwords).
 */
export function inputRows(
	input: TextInput,
	width: number,
	maxRows: number,
	mask?: string,
): InputRow[] {
	return inputWindow(input, width, maxRows, mask).rows;
}

/** The rows on screen, and how many rows of the text are out of view above and below them. */
export function inputWindow(
	input: TextInput,
	width: number,
	maxRows: number,
	mask?: string,
): { rows: InputRow[]; above: number; below: number } {
	const usable = Math.max(2, width - 1);
	const shown = mask
		? {
				text: mask.repeat(graphemes(input.text).length),
				cursor: graphemes(input.text.slice(0, input.cursor)).length * mask.length,
			}
		: input;
	const rows: { cells: Cell[]; end: number }[] = [];
	let offset = 0;
	for (const line of shown.text.split('\n')) {
		const lineCells = cells(line, offset);
		for (const row of chunk(lineCells, usable))
			rows.push({ cells: row, end: offset + line.length });
		offset += line.length + 1;
	}
	// The cursor sits on the row whose cells (or whose end) hold it; the first such row wins.
	let cursorRow = rows.findIndex(({ cells: row, end }, index) => {
		const next = rows[index + 1];
		const first = row[0]?.start ?? end;
		const continues = next !== undefined && next.end === end;
		return shown.cursor >= first && shown.cursor < (continues ? next.cells[0]!.start : end + 1);
	});
	if (cursorRow === -1) cursorRow = rows.length - 1;
	const last = Math.min(rows.length, Math.max(cursorRow + 1, maxRows));
	const first = Math.max(0, last - maxRows);
	const shownRows = rows
		.slice(first, last)
		.map(({ cells: row }, index) =>
			toRow(`row-${first + index}`, row, first + index === cursorRow ? shown.cursor : undefined),
		);
	return { rows: shownRows, above: first, below: rows.length - last };
}
