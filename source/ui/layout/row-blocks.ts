import type { Row, RowPart } from './message-layout.js';

/** Lines drawn as one unit: the visible rows of one message, or a lone day or banner row. */
export type RowBlock = { readonly key: string; readonly rows: readonly Row[] };

/** Where a row's body starts: after its `separator` part (0 for day and banner rows). */
export const bodyStart = (row: Row): number =>
	row.parts.findIndex((part) => part.style === 'separator' || part.style === 'selected') + 1;

/** The window's rows grouped by message: each message is then two texts, not two per line. */
export function rowBlocks(rows: readonly Row[]): RowBlock[] {
	const blocks: { key: string; rows: Row[] }[] = [];
	let previous: Row | undefined;
	for (const row of rows) {
		if (row.message !== undefined && row.message === previous?.message)
			blocks.at(-1)!.rows.push(row);
		else blocks.push({ key: row.key, rows: [row] });
		previous = row;
	}
	return blocks;
}

/**
 * The parts of several lines as one run: a line break before each line after the first, and
 * neighbours of the same style merged, so a message's lead is three styled texts however long it is.
 */
export function joinLines(lines: readonly (readonly RowPart[])[]): RowPart[] {
	const joined: RowPart[] = [];
	lines.forEach((parts, line) => {
		parts.forEach((part, index) => {
			const text = line > 0 && index === 0 ? `\n${part.text}` : part.text;
			const last = joined.at(-1);
			if (last?.style === part.style && last.color === part.color) {
				joined[joined.length - 1] = { ...last, text: last.text + text };
			} else joined.push({ ...part, text });
		});
	});
	return joined;
}
