import { Text } from 'ink';
import { useChatState } from '../hooks/use-chat.js';
import type { ConversationId } from '../state/chat-state.js';

export const badgeWidth = 5;

/**
 * The unread count of a conversation, right-aligned; yellow with `@` when you were mentioned.
 * It reads its own two numbers, so the panes need not re-render whenever any conversation
 * changes (scrolling one changes the conversations map).
 */
export function UnreadBadge({ id }: { readonly id: ConversationId }) {
	const unread = useChatState((state) => state.conversations[id]?.unread ?? 0);
	const mentioned = useChatState((state) => state.conversations[id]?.mentioned ?? false);
	if (unread === 0) return <Text>{' '.repeat(badgeWidth)}</Text>;
	const text = `${mentioned ? '@' : ''}${unread > 999 ? '999+' : unread}`;
	return (
		<Text bold color={mentioned ? 'yellow' : 'cyan'}>
			{text.padStart(badgeWidth - 1)}{' '}
		</Text>
	);
}
