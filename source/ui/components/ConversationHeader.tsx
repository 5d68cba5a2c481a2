import { Box, Text } from 'ink';
import { memo } from 'react';
import { useChatState } from '../hooks/use-chat.js';
import { groupNamed } from '../state/selectors.js';
import { typingText, typingUsers } from '../state/typing-indicator.js';
import { safeLine } from '../text/safe-text.js';

/** What is open: `#group · n members · your role`, or `@user · display name · presence`. */
export const ConversationHeader = memo(function ConversationHeader({
	newer,
	width,
}: {
	readonly newer: number;
	readonly width: number;
}) {
	const conversation = useChatState((state) =>
		state.open ? state.conversations[state.open] : undefined,
	);
	const order = useChatState((state) => state.order);
	const group = useChatState((state) => groupNamed(state, conversation?.name));
	const user = useChatState((state) =>
		state.users.find((entry) => entry.name === conversation?.name),
	);
	// One string, so the header re-renders only when who is typing changes.
	const typists = useChatState((state) => typingUsers(state, state.open).join(' '));
	const typingLine = typingText(typists === '' ? [] : typists.split(' ').map(safeLine));
	const typing = typingLine ? <Text color="green"> · {typingLine}</Text> : null;
	const rule = <Text dimColor>{'─'.repeat(width)}</Text>;
	if (!conversation) {
		return (
			<Box flexDirection="column">
				<Text dimColor wrap="truncate">
					No conversation open: Ctrl+K to find one, or /dm &lt;user&gt;, /group &lt;name&gt;,
					/create &lt;group&gt;
				</Text>
				{rule}
			</Box>
		);
	}
	const number = order.indexOf(conversation.id) + 1;
	const prefix = number > 0 ? `[${number}] ` : '';
	const scrolled = newer > 0 ? <Text color="yellow"> · ↓ {newer} newer (PgDn)</Text> : null;
	const loading =
		conversation.history === 'loading' ? <Text color="yellow"> · loading history…</Text> : null;
	if (conversation.kind === 'group') {
		return (
			<Box flexDirection="column">
				<Text wrap="truncate">
					<Text dimColor>{prefix}</Text>
					<Text bold color="magenta">
						#{safeLine(conversation.name)}
					</Text>
					{group ? (
						<Text dimColor>
							{' '}
							· {group.members} member{group.members === 1 ? '' : 's'} · you are {group.role}
						</Text>
					) : (
						<Text color="red"> · you are not a member</Text>
					)}
					{typing}
					{loading}
					{scrolled}
				</Text>
				{rule}
			</Box>
		);
	}
	const display = user && user.displayName !== user.name ? ` · ${safeLine(user.displayName)}` : '';
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				<Text dimColor>{prefix}</Text>
				<Text bold color="cyan">
					@{safeLine(conversation.name)}
				</Text>
				<Text dimColor>{display}</Text>
				{user ? (
					<Text color={user.online ? 'green' : 'gray'}>
						{user.online ? ' · ● online' : ' · ○ offline'}
					</Text>
				) : null}
				{typing}
				{loading}
				{scrolled}
			</Text>
			{rule}
		</Box>
	);
});
