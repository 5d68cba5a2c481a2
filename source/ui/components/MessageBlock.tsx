import { Box, Text, type TextProps } from 'ink';
import { memo } from 'react';
import type { Row, RowPart, RowStyle } from '../layout/message-layout.js';
import { bodyStart, joinLines, type RowBlock } from '../layout/row-blocks.js';

const styles: Record<RowStyle, TextProps> = {
	time: { dimColor: true },
	separator: { dimColor: true },
	day: { dimColor: true },
	nick: { bold: true },
	mention: { bold: true, color: 'cyan' },
	'mention-me': { bold: true, color: 'black', backgroundColor: 'yellow' },
	text: {},
	note: { dimColor: true, italic: true },
	pending: { dimColor: true },
	marker: { color: 'red', bold: true },
	quote: { dimColor: true },
	selected: { color: 'yellow', bold: true },
};

const styleOf = (part: RowPart): TextProps =>
	part.color ? { ...styles[part.style], color: part.color } : styles[part.style];

/**
 * Parts as one text (a function, not a component: one node fewer). A lone part carries its
 * style itself, and plain text stays a bare string, so Ink has fewer nodes to style.
 */
function partsText(parts: readonly RowPart[], wrap?: TextProps['wrap']) {
	if (parts.length === 1) {
		return (
			<Text wrap={wrap} {...styleOf(parts[0]!)}>
				{parts[0]!.text}
			</Text>
		);
	}
	return (
		<Text wrap={wrap}>
			{parts.map((part, index) =>
				part.style === 'text' ? (
					part.text
				) : (
					<Text key={index} {...styleOf(part)}>
						{part.text}
					</Text>
				),
			)}
		</Text>
	);
}

const sameRows = (a: { block: RowBlock }, b: { block: RowBlock }) =>
	a.block.rows.length === b.block.rows.length &&
	a.block.rows.every((row, index) => row === b.block.rows[index]);

/**
 * The visible rows of one message as two texts side by side: time, sender and `│`, then the
 * message. Ink measures every text on every frame, and one non-ASCII character (the `│`) sends a
 * whole text down string-width's slow path, so the message, usually plain ASCII, stays apart;
 * and one text per column rather than per line leaves Ink and React a third of the nodes.
 * Rows are immutable and cached, so memo skips blocks whose rows did not change.
 */
export const MessageBlock = memo(function MessageBlock({ block }: { readonly block: RowBlock }) {
	const { rows } = block;
	// A day or banner row: one line, so cutting it at the edge is safe (Ink cannot cut a text of
	// several lines, so the columns rely on the layout's widths, and the view clips their height).
	if (bodyStart(rows[0]!) === 0) return partsText(rows[0]!.parts, 'truncate');
	const lead = (row: Row) => row.parts.slice(0, bodyStart(row));
	const body = (row: Row) => row.parts.slice(bodyStart(row));
	return (
		<Box>
			{partsText(joinLines(rows.map(lead)))}
			{partsText(joinLines(rows.map(body)))}
		</Box>
	);
}, sameRows);
