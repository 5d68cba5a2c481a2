import { fit, textWidth } from '../text/text-width.js';
import type { Row, RowPart } from './message-layout.js';

const markerLabel = ' new messages ';

/** The rows of the selected message, its separators bright: `▶` on its first line, `┃` after. */
export function selectedRows(rows: readonly Row[]): Row[] {
	return rows.map((row) => {
		if (row.message === undefined) return row;
		const first = row.key.endsWith(':0');
		const parts = row.parts.map((part): RowPart => {
			if (part.style !== 'separator') return part;
			return { text: part.text.replace(/ │ $/, first ? ' ▶ ' : ' ┃ '), style: 'selected' };
		});
		return { ...row, key: `${row.key}:selected`, parts };
	});
}

/** A message's rows with the red "new messages" line below its day separator, above the rest. */
export function withMarker(rows: readonly Row[], width: number): Row[] {
	const side = Math.max(2, Math.floor((width - textWidth(markerLabel)) / 2));
	const line = `${'─'.repeat(side)}${markerLabel}${'─'.repeat(Math.max(2, width - side - textWidth(markerLabel)))}`;
	const marker: Row = { key: 'marker', parts: [{ text: fit(line, width), style: 'marker' }] };
	const day = rows[0]?.key.endsWith(':day') ? 1 : 0;
	return [...rows.slice(0, day), marker, ...rows.slice(day)];
}
