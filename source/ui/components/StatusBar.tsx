import { Box, Text } from 'ink';
import { memo } from 'react';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { ConnectionBadge, serverLabel } from './ConnectionBadge.js';

const hints = {
	input: 'Tab panes · Ctrl+K switch · Alt+1…9 · PgUp/PgDn · F1 help · Ctrl+C quit',
	users: '↑/↓ move · Enter open · typing goes to the input · Tab next · F1 help',
	groups: 'Alt+N new · Alt+I add · Alt+M members · Alt+L leave · Alt+D delete · F1 help',
};

/** Server, user, connection, and either the latest notice or key hints for what has focus. */
export const StatusBar = memo(function StatusBar({ width }: { readonly width: number }) {
	const { client } = useChatActions();
	const me = useChatState((state) => state.me);
	const focus = useChatState((state) => state.focus);
	const notice = useChatState((state) => state.notice);
	const bell = useChatState((state) => state.bell);
	return (
		<Box width={width} height={1}>
			<Box flexShrink={0}>
				<Text wrap="truncate">
					<Text backgroundColor="blue" color="white" bold>
						{' '}
						{serverLabel(client.address)}{' '}
					</Text>
					<Text bold> {me} </Text>
					<ConnectionBadge />
					{bell ? '' : <Text dimColor> · bell off</Text>}
					<Text dimColor> │ </Text>
				</Text>
			</Box>
			<Box flexGrow={1} flexShrink={1}>
				{notice ? (
					<Text wrap="truncate" color={notice.kind === 'error' ? 'red' : 'green'}>
						{notice.kind === 'error' ? '✗ ' : '✓ '}
						{notice.text}
					</Text>
				) : (
					<Text wrap="truncate" dimColor>
						{hints[focus]}
					</Text>
				)}
			</Box>
		</Box>
	);
});
