import { Text } from 'ink';
import { useMemo, useState } from 'react';
import { useChatActions } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { helpLines, type HelpLine } from '../keys/help-text.js';
import { commandFor } from '../keys/match-key.js';
import { fit } from '../text/text-width.js';
import { wrapText } from '../text/wrap-text.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';

/** Every key and slash command, from the bindings themselves; scrolls with ↑/↓ and PgUp/PgDn. */
export function HelpOverlay({
	width,
	height,
}: {
	readonly width: number;
	readonly height: number;
}) {
	const { dispatch } = useChatActions();
	const entries = useMemo(() => helpLines(), []);
	const keysWidth = Math.min(
		Math.min(36, Math.floor(width / 2)),
		Math.max(...entries.map((line) => (line.kind === 'entry' ? line.keys.length : 0))) + 4,
	);
	// Long explanations wrap under their text column instead of being cut at the edge.
	const lines = useMemo(
		() =>
			entries.flatMap((line): HelpLine[] =>
				line.kind === 'heading'
					? [line]
					: wrapText(line.text, Math.max(10, width - 4 - keysWidth)).map((text, index) => ({
							kind: 'entry',
							keys: index === 0 ? line.keys : '',
							text,
						})),
			),
		[entries, width, keysWidth],
	);
	const visible = Math.max(3, height - 6);
	const [top, setTop] = useState(0);
	const last = Math.max(0, lines.length - visible);

	useKeypress(
		(key) => {
			const command = commandFor(key, ['dialog', 'list', 'main', 'global']);
			const move = (rows: number) =>
				setTop((current) => Math.max(0, Math.min(last, current + rows)));
			if (command === 'close' || command === 'help' || key.name === 'q' || key.name === '?') {
				dispatch({ type: 'overlay-closed' });
			} else if (command === 'list-next' || key.name === 'j') move(1);
			else if (command === 'list-previous' || key.name === 'k') move(-1);
			else if (command === 'scroll-down' || key.name === 'space') move(visible - 1);
			else if (command === 'scroll-up') move(-(visible - 1));
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	return (
		<DialogFrame
			title={`Keys and commands ${lines.length > visible ? `(${top + 1}-${Math.min(lines.length, top + visible)} of ${lines.length})` : ''}`}
			width={width}
			footer="↑/↓ PgUp/PgDn scroll · Esc close"
		>
			{lines.slice(top, top + visible).map((line, index) =>
				line.kind === 'heading' ? (
					<Text key={index} bold color="yellow" wrap="truncate">
						{line.text}
					</Text>
				) : (
					<Text key={index} wrap="truncate">
						<Text color="cyan">{fit(`  ${line.keys}`, keysWidth)}</Text>
						{line.text}
					</Text>
				),
			)}
		</DialogFrame>
	);
}
