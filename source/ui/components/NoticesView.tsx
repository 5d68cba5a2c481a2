import { Text } from 'ink';
import { useState } from 'react';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { clockTime } from '../text/time-format.js';
import { wrapText } from '../text/wrap-text.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';

/** F2 or /notices: every error of the session, whole and wrapped, newest at the bottom. */
export function NoticesView({
	width,
	height,
}: {
	readonly width: number;
	readonly height: number;
}) {
	const { dispatch } = useChatActions();
	const notices = useChatState((state) => state.notices);
	const textWidth = Math.max(10, width - 4 - 8);
	const lines = notices.flatMap((notice) =>
		wrapText(notice.text, textWidth).map((line, index) => ({
			key: `${notice.serial}:${index}`,
			time: index === 0 && notice.date ? clockTime(new Date(notice.date)) : '',
			line,
		})),
	);
	const visible = Math.max(3, height - 6);
	const last = Math.max(0, lines.length - visible);
	// Scrolled up from the newest (0: the newest lines at the bottom).
	const [back, setBack] = useState(0);

	useKeypress(
		(key) => {
			const command = commandFor(key, ['dialog', 'list', 'main', 'global']);
			const move = (rows: number) =>
				setBack((current) => Math.max(0, Math.min(last, current + rows)));
			if (command === 'close' || command === 'notices') dispatch({ type: 'overlay-closed' });
			else if (command === 'list-previous') move(1);
			else if (command === 'list-next') move(-1);
			else if (command === 'scroll-up') move(visible - 1);
			else if (command === 'scroll-down') move(-(visible - 1));
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const end = lines.length - Math.min(back, last);
	return (
		<DialogFrame
			title={`Notices (${notices.length})`}
			width={width}
			footer="↑/↓ PgUp/PgDn scroll · Esc close"
		>
			{lines.length === 0 ? <Text dimColor>Nothing went wrong so far.</Text> : null}
			{lines.slice(Math.max(0, end - visible), end).map((entry) => (
				<Text key={entry.key} wrap="truncate">
					<Text dimColor>{entry.time.padEnd(8)}</Text>
					<Text color="red">{entry.line}</Text>
				</Text>
			))}
		</DialogFrame>
	);
}
