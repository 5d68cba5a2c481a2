import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { listWindowStart } from '../layout/screen-layout.js';

export type PaneRow = {
	readonly key: string;
	readonly content: ReactNode;
	readonly selected: boolean;
};

export type SidePaneProps = {
	readonly title: string;
	/** Right of the title (counts). */
	readonly info?: string;
	readonly focused: boolean;
	readonly width: number;
	readonly height: number;
	readonly rows: readonly PaneRow[];
	readonly empty: string;
	/** Key hints shown at the bottom while focused. */
	readonly hint?: string;
};

/** A titled, bordered list that scrolls to keep the selected row in view. */
export function SidePane({
	title,
	info,
	focused,
	width,
	height,
	rows,
	empty,
	hint,
}: SidePaneProps) {
	const showHint = focused && hint !== undefined && height >= 7;
	const room = Math.max(1, height - 3 - (showHint ? 1 : 0));
	// A list longer than the pane says how many rows are out of view below.
	const overflows = rows.length > room && room >= 2;
	const visible = overflows ? room - 1 : room;
	const selected = rows.findIndex((row) => row.selected);
	const start = listWindowStart(rows.length, selected, visible);
	const below = rows.length - start - visible;
	return (
		<Box
			width={width}
			height={height}
			flexDirection="column"
			borderStyle="round"
			borderColor={focused ? 'cyan' : 'gray'}
		>
			<Box justifyContent="space-between">
				<Text bold color={focused ? 'cyan' : undefined}>
					{' '}
					{title}
				</Text>
				{info ? <Text dimColor>{info} </Text> : null}
			</Box>
			{/* Rows are cut to the width already: clipping sideways would make Ink slice every line
			    again on every frame. */}
			<Box flexDirection="column" height={visible} overflowY="hidden" flexShrink={0}>
				{rows.length === 0 ? (
					<Text dimColor wrap="truncate">
						{' '}
						{empty}
					</Text>
				) : (
					rows.slice(start, start + visible).map((row) => (
						<Text
							key={row.key}
							wrap="truncate"
							inverse={row.selected && focused}
							bold={row.selected && !focused}
						>
							{row.content}
						</Text>
					))
				)}
			</Box>
			{overflows ? (
				<Text dimColor wrap="truncate">
					{below > 0 ? `  ↓ ${below} more below` : `  ↑ ${start} more above`}
				</Text>
			) : null}
			{showHint ? (
				<Text dimColor wrap="truncate">
					{' '}
					{hint}
				</Text>
			) : null}
		</Box>
	);
}
