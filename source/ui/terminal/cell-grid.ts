import { defaultStyle, type StyleKey } from './sgr-style.js';

/**
 * A screen as cells, row by row. A cell holds one grapheme of width 1 or 2; the cell right of a
 * wide grapheme holds `wideTail` (the terminal draws nothing there of its own).
 */
export type CellGrid = {
	readonly columns: number;
	readonly rows: number;
	/** `chars[row][column]`: the grapheme drawn there, ' ' when blank. */
	readonly chars: string[][];
	readonly styles: StyleKey[][];
};

export const wideTail = '';

export function blankRow(columns: number): { chars: string[]; styles: StyleKey[] } {
	return {
		chars: new Array<string>(columns).fill(' '),
		styles: new Array<StyleKey>(columns).fill(defaultStyle),
	};
}

/** A screen of blanks in the default style, as a cleared terminal shows. */
export function blankGrid(columns: number, rows: number): CellGrid {
	const chars: string[][] = [];
	const styles: StyleKey[][] = [];
	for (let row = 0; row < rows; row++) {
		const blank = blankRow(columns);
		chars.push(blank.chars);
		styles.push(blank.styles);
	}
	return { columns, rows, chars, styles };
}

/** A copy whose rows can be moved and changed without touching `grid`. */
export function copyGrid(grid: CellGrid): CellGrid {
	return {
		columns: grid.columns,
		rows: grid.rows,
		chars: grid.chars.map((row) => row.slice()),
		styles: grid.styles.map((row) => row.slice()),
	};
}

/** True when row `a` of `one` shows exactly what row `b` of `other` shows. */
export function sameRow(one: CellGrid, a: number, other: CellGrid, b: number): boolean {
	const charsA = one.chars[a]!;
	const charsB = other.chars[b]!;
	const stylesA = one.styles[a]!;
	const stylesB = other.styles[b]!;
	for (let column = 0; column < one.columns; column++) {
		if (charsA[column] !== charsB[column] || stylesA[column] !== stylesB[column]) return false;
	}
	return true;
}

/** How many cells of row `a` of `one` equal those of row `b` of `other`. */
export function equalCells(one: CellGrid, a: number, other: CellGrid, b: number): number {
	const charsA = one.chars[a]!;
	const charsB = other.chars[b]!;
	const stylesA = one.styles[a]!;
	const stylesB = other.styles[b]!;
	let equal = 0;
	for (let column = 0; column < one.columns; column++) {
		if (charsA[column] === charsB[column] && stylesA[column] === stylesB[column]) equal += 1;
	}
	return equal;
}
