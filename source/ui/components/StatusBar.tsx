import { Box, Text } from 'ink';
import { memo } from 'react';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { fitHints, keyHints, selectionHints } from '../layout/key-hints.js';
import { canDelete, canEdit, selectedMessage } from '../state/message-selection.js';
import { activityKey, parseActivity } from '../state/activity.js';
import { fit, textWidth } from '../text/text-width.js';
import { ActivityList } from './ActivityList.js';
import { serverLabel, useConnectionText } from './ConnectionBadge.js';

/** `[Act: 1,3]` takes this many columns. */
function activityWidth(key: string): number {
	const activity = parseActivity(key);
	if (activity.length === 0) return 0;
	return textWidth(`[Act: ${activity.map((entry) => entry.number).join(',')}] `);
}

/**
 * Server, user, connection, the activity list, and either the latest notice or the key hints
 * for what has the focus, cut to what fits (a notice cut short says where it is whole: F2).
 */
export const StatusBar = memo(function StatusBar({ width }: { readonly width: number }) {
	const { client } = useChatActions();
	const me = useChatState((state) => state.me);
	const focus = useChatState((state) => state.focus);
	const notice = useChatState((state) => state.notice);
	const bell = useChatState((state) => state.bell);
	const activity = useChatState(activityKey);
	// While a message is selected: its keys, only those that may be used on it.
	const selecting = useChatState((state) => {
		const message = selectedMessage(state);
		return message ? `${canEdit(state, message)}|${canDelete(state, message)}` : undefined;
	});
	const connection = useConnectionText();
	const server = ` ${serverLabel(client.address)} `;
	const bellText = bell ? '' : ' · bell off';
	const used =
		textWidth(server) +
		textWidth(` ${me ?? ''} `) +
		textWidth(connection.text) +
		textWidth(bellText) +
		3 +
		activityWidth(activity);
	const room = Math.max(8, width - used);
	let right: { text: string; color?: string; dim?: boolean };
	if (notice) {
		const mark = notice.kind === 'error' ? '✗ ' : '✓ ';
		const whole = `${mark}${notice.text}`;
		const text =
			textWidth(whole) <= room || notice.kind !== 'error'
				? whole
				: `${fit(whole, Math.max(4, room - 10))} F2 whole`;
		right = { text, color: notice.kind === 'error' ? 'red' : 'green' };
	} else if (selecting) {
		const [edit, remove] = selecting.split('|').map((flag) => flag === 'true');
		right = {
			text: fitHints(selectionHints({ edit: edit!, delete: remove! }), room),
			color: 'yellow',
		};
	} else {
		right = { text: fitHints(keyHints[focus], room), dim: true };
	}
	return (
		<Box width={width} height={1}>
			<Box flexShrink={0}>
				<Text wrap="truncate">
					<Text backgroundColor="blue" color="white" bold>
						{server}
					</Text>
					<Text bold> {me} </Text>
					<Text color={connection.color}>{connection.text}</Text>
					{bell ? '' : <Text dimColor>{bellText}</Text>}
					<Text dimColor> │ </Text>
					<ActivityList />
				</Text>
			</Box>
			<Box flexGrow={1} flexShrink={1}>
				<Text wrap="truncate" color={right.color} dimColor={right.dim}>
					{right.text}
				</Text>
			</Box>
		</Box>
	);
});
