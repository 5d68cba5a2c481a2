import stringWidth from 'string-width';
import { blankGrid, wideTail, type CellGrid } from './cell-grid.js';
import { applySgr, defaultStyle, type StyleKey } from './sgr-style.js';

const escape = '\u001b';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Code units that may join the one before into a grapheme: marks, format characters (ZWJ,
 * variation selectors), Hangul vowel and final jamo, and surrogates (emoji modifiers, flags). */
const joining = /[\p{M}\p{Cf}]/u;
const joiningRanges = [
	[0x1100, 0x11ff],
	[0xd7b0, 0xdfff],
	[0xfe00, 0xfe0f],
] as const;
/** 0 = not yet known, 1 = stands alone, 2 = may join (or start something longer). */
const joinClass = new Uint8Array(0x10000);
const widths = new Map<string, number>();

function mayJoin(code: number): boolean {
	let known = joinClass[code]!;
	if (known === 0) {
		const inRange = joiningRanges.some(([low, high]) => code >= low && code <= high);
		known = inRange || joining.test(String.fromCharCode(code)) ? 2 : 1;
		joinClass[code] = known;
	}
	return known === 2;
}

function widthOf(grapheme: string): number {
	let width = widths.get(grapheme);
	if (width === undefined) {
		width = Math.min(2, stringWidth(grapheme));
		if (widths.size > 50_000) widths.clear();
		widths.set(grapheme, width);
	}
	return width;
}

/** The grapheme starting at `index`: most are one code unit; only a joining one asks Intl. */
function graphemeAt(text: string, index: number, end: number): string {
	const code = text.charCodeAt(index);
	const next = index + 1 < end ? text.charCodeAt(index + 1) : 0x20;
	if (next < 0x80 && !(code >= 0xd800 && code <= 0xdfff) && !(code >= 0x1100 && code <= 0x115f)) {
		return text[index]!;
	}
	if (!mayJoin(code) && !mayJoin(next)) return text[index]!;
	const segments = graphemes.segment(text.slice(index, Math.min(end, index + 32)));
	return segments.containing(0)?.segment ?? text[index]!;
}

/**
 * Reads one frame as Ink writes it (lines joined by '\n', SGR for colours) into the cells a
 * terminal would show after drawing it on a cleared screen of `columns` × `rows`. What does not
 * fit is cut off; escape sequences other than SGR (cursor moves, hyperlinks) are skipped.
 */
export function parseFrame(frame: string, columns: number, rows: number): CellGrid {
	const grid = blankGrid(columns, rows);
	const lines = frame.split('\n');
	let style: StyleKey = defaultStyle;
	for (let row = 0; row < rows && row < lines.length; row++) {
		style = parseLine(lines[row]!, grid.chars[row]!, grid.styles[row]!, columns, style);
	}
	return grid;
}

/** Fills one row's cells from one line; returns the style in force at its end (SGR carries over). */
function parseLine(
	line: string,
	chars: string[],
	styles: StyleKey[],
	columns: number,
	initial: StyleKey,
): StyleKey {
	let style = initial;
	let column = 0;
	let index = 0;
	const put = (from: number, to: number) => {
		for (let at = from; at < to && column < columns;) {
			const code = line.charCodeAt(at);
			if (code >= 0x20 && code < 0x7f && (at + 1 >= to || line.charCodeAt(at + 1) < 0x80)) {
				chars[column] = line[at]!;
				styles[column] = style;
				column += 1;
				at += 1;
				continue;
			}
			const grapheme = graphemeAt(line, at, to);
			at += grapheme.length;
			const width = widthOf(grapheme);
			// Control characters and lone combining marks take no cell of their own.
			if (width === 0) continue;
			if (column + width > columns) {
				column = columns;
				return;
			}
			chars[column] = grapheme;
			styles[column] = style;
			if (width === 2) {
				chars[column + 1] = wideTail;
				styles[column + 1] = style;
			}
			column += width;
		}
	};
	while (index < line.length) {
		const next = line.indexOf(escape, index);
		const end = next === -1 ? line.length : next;
		if (end > index) put(index, end);
		if (next === -1) break;
		const [sequenceEnd, params] = readEscape(line, next);
		if (params !== undefined) style = applySgr(style, params);
		index = sequenceEnd;
	}
	return style;
}

/** Where the escape sequence at `start` ends, and its parameters when it is an SGR. */
function readEscape(line: string, start: number): [number, string | undefined] {
	const kind = line[start + 1];
	if (kind === '[') {
		let at = start + 2;
		while (at < line.length) {
			const code = line.charCodeAt(at);
			if (code >= 0x40 && code <= 0x7e) break;
			at += 1;
		}
		const final = line[at];
		return [at + 1, final === 'm' ? line.slice(start + 2, at) : undefined];
	}
	if (kind === ']') {
		// OSC (a hyperlink, a title): ends at BEL or ESC \.
		for (let at = start + 2; at < line.length; at++) {
			if (line[at] === '\u0007') return [at + 1, undefined];
			if (line[at] === escape && line[at + 1] === '\\') return [at + 2, undefined];
		}
		return [line.length, undefined];
	}
	return [Math.min(line.length, start + 2), undefined];
}
