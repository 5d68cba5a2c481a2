import { Text } from 'ink';
import type { Conversation } from '../state/chat-state.js';

export const badgeWidth = 5;

/** The unread count of a conversation, right-aligned; yellow with `@` when you were mentioned. */
export function UnreadBadge({ conversation }: { readonly conversation: Conversation | undefined }) {
	const unread = conversation?.unread ?? 0;
	if (unread === 0) return <Text>{' '.repeat(badgeWidth)}</Text>;
	const text = `${conversation?.mentioned ? '@' : ''}${unread > 999 ? '999+' : unread}`;
	return (
		<Text bold color={conversation?.mentioned ? 'yellow' : 'cyan'}>
			{text.padStart(badgeWidth - 1)}{' '}
		</Text>
	);
}
