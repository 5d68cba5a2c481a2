import { copyGrid, sameRow, type CellGrid } from './cell-grid.js';
import { diffGrids, type Pen } from './screen-diff.js';
import { applyScroll, findScroll, scrollSequence } from './scroll-region.js';

/** Fewer changed rows than this cannot have moved as a block worth a scroll region. */
const minRowsForScroll = 3;

/**
 * The bytes that turn a terminal showing `shown` into one showing `next`: a plain diff, or a
 * scroll of the block of rows that moved followed by a diff of the rest, whichever is shorter.
 */
export function paintFrame(shown: CellGrid, next: CellGrid, pen: Pen): string {
	let changed = 0;
	for (let row = 0; row < next.rows; row++) if (!sameRow(shown, row, next, row)) changed += 1;
	if (changed === 0) return '';
	const plainPen = { ...pen };
	const plain = diffGrids(shown, next, plainPen);
	if (changed >= minRowsForScroll) {
		const scroll = findScroll(shown, next);
		if (scroll) {
			const scrollPen = { ...pen };
			const moved = copyGrid(shown);
			const sequence = scrollSequence(scroll, scrollPen, next.rows);
			applyScroll(moved, scroll);
			const rest = diffGrids(moved, next, scrollPen);
			if (sequence.length + rest.length < plain.length) {
				Object.assign(pen, scrollPen);
				return sequence + rest;
			}
		}
	}
	Object.assign(pen, plainPen);
	return plain;
}
