import { blankRow, type CellGrid } from './cell-grid.js';
import { sgrTransition } from './sgr-style.js';
import type { Pen } from './screen-diff.js';

/** Rows `top`..`bottom` (0-based, inclusive) moved up by `count` (down when negative). */
export type Scroll = { readonly top: number; readonly bottom: number; readonly count: number };

/** The farthest shift looked for: a new message or a page is rarely more than most of a screen. */
const maxShiftShare = 0.75;
/** Rows are compared in bands of this many cells: near enough to rank shifts, and cheap. */
const bandWidth = 8;

const bandCache = new WeakMap<CellGrid, string[][]>();

/** Each row cut into bands, each band as one string of its cells and styles. */
function bandsOf(grid: CellGrid): string[][] {
	let bands = bandCache.get(grid);
	if (!bands) {
		bands = grid.chars.map((chars, row) => {
			const styles = grid.styles[row]!;
			const out: string[] = [];
			for (let start = 0; start < grid.columns; start += bandWidth) {
				const end = Math.min(grid.columns, start + bandWidth);
				out.push(
					`${chars.slice(start, end).join('')}\u0000${styles.slice(start, end).join('\u0000')}`,
				);
			}
			return out;
		});
		bandCache.set(grid, bands);
	}
	return bands;
}

function equalBands(a: readonly string[], b: readonly string[]): number {
	let equal = 0;
	for (let band = 0; band < a.length; band++) if (a[band] === b[band]) equal += 1;
	return equal;
}

/**
 * The block of rows that moved up or down from `shown` to `next` by the same count and so is
 * cheapest to move with a scroll region, if any: for each shift, the run of rows that gains most
 * bands by moving (Kadane's maximum sum over "equal after the shift" less "equal as they are").
 */
export function findScroll(shown: CellGrid, next: CellGrid): Scroll | undefined {
	const rows = next.rows;
	const before = bandsOf(shown);
	const after = bandsOf(next);
	const stay = after.map((bands, row) => equalBands(bands, before[row]!));
	let best: { scroll: Scroll; gain: number } | undefined;
	const maxShift = Math.floor(rows * maxShiftShare);
	for (let shift = 1; shift <= maxShift; shift++) {
		for (const direction of [1, -1] as const) {
			// Row `row` of next would show row `row + shift × direction` of shown.
			let sum = 0;
			let start = 0;
			const first = direction === 1 ? 0 : shift;
			const last = direction === 1 ? rows - shift - 1 : rows - 1;
			for (let row = first; row <= last; row++) {
				const moved = equalBands(after[row]!, before[row + shift * direction]!);
				if (sum <= 0) {
					sum = 0;
					start = row;
				}
				sum += moved - stay[row]!;
				if (sum > 0 && (!best || sum > best.gain)) {
					const top = direction === 1 ? start : start - shift;
					const bottom = direction === 1 ? row + shift : row;
					best = { scroll: { top, bottom, count: shift * direction }, gain: sum };
				}
			}
		}
	}
	// A gain of less than a few bands is not worth the sequences that set the region.
	return best && best.gain >= 3 ? best.scroll : undefined;
}

/** Moves the rows of `grid` as the terminal does on this scroll; the rows scrolled in are blank. */
export function applyScroll(grid: CellGrid, scroll: Scroll): void {
	const { top, bottom, count } = scroll;
	for (const cells of [grid.chars, grid.styles] as const) {
		const band = cells.splice(top, bottom - top + 1);
		const moved = count > 0 ? band.slice(count) : band.slice(0, band.length + count);
		const blanks = Array.from({ length: Math.abs(count) }, () =>
			cells === grid.chars ? blankRow(grid.columns).chars : blankRow(grid.columns).styles,
		);
		const rows = count > 0 ? [...moved, ...blanks] : [...blanks, ...moved];
		cells.splice(top, 0, ...(rows as string[][]));
	}
}

/**
 * DECSTBM to set the region, SU/SD to move it, DECSTBM to reset: the default style first, since
 * the rows scrolled in take the pen's background. Setting the region homes the cursor.
 */
export function scrollSequence(scroll: Scroll, pen: Pen, rows: number): string {
	const reset = sgrTransition(pen.style, '');
	pen.style = '';
	const { top, bottom, count } = scroll;
	const region = top === 0 && bottom === rows - 1 ? '' : `\u001b[${top + 1};${bottom + 1}r`;
	if (region) {
		pen.row = 0;
		pen.column = 0;
	}
	const n = Math.abs(count);
	const move = `\u001b[${n === 1 ? '' : n}${count > 0 ? 'S' : 'T'}`;
	return `${reset}${region}${move}${region ? '\u001b[r' : ''}`;
}
