import { Box, Text } from 'ink';
import { memo, useEffect, useMemo } from 'react';
import { loadOlder } from '../actions/conversation-actions.js';
import { useChatActions } from '../hooks/use-chat.js';
import { messageWindow, type MessageWindow } from '../layout/message-layout.js';
import { rowBlocks } from '../layout/row-blocks.js';
import type { Conversation } from '../state/chat-state.js';
import { historyBanner } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { MessageBlock } from './MessageBlock.js';

export type MessageViewProps = {
	readonly conversation: Conversation | undefined;
	readonly me: string | undefined;
	readonly width: number;
	readonly height: number;
	/** The message picked in selection mode. */
	readonly selected?: number;
};

/** The window of a conversation on screen: only visible rows are laid out and rendered. */
export function useMessageWindow({
	conversation,
	me,
	width,
	height,
	selected,
}: MessageViewProps): MessageWindow {
	const window = useMemo(
		() =>
			conversation
				? messageWindow(conversation.messages, conversation.scroll, {
						width,
						height,
						me,
						banner: historyBanner(conversation),
						marker: conversation.marker,
						selected,
					})
				: { rows: [], atOldest: true, newer: 0 },
		[conversation, width, height, me, selected],
	);
	const actions = useChatActions();
	const needsOlder =
		conversation !== undefined && window.atOldest && conversation.history === 'more';
	useEffect(() => {
		// The oldest loaded line is on screen: fetch the page before it (HISTORY Before).
		if (needsOlder && conversation) void loadOlder(actions, conversation.id);
	}, [needsOlder, conversation, actions]);
	return window;
}

/** What an empty view says (a conversation's own history banner scrolls with its messages). */
function emptyNote(conversation: Conversation | undefined): string | undefined {
	if (!conversation)
		return 'Pick someone in Users or a group in Groups (Tab, ↑/↓, Enter), or press Ctrl+K.';
	if (conversation.messages.length > 0) return undefined;
	if (conversation.history === 'complete') {
		return `No messages with ${conversation.kind === 'group' ? '#' : '@'}${safeLine(conversation.name)} yet: say hello.`;
	}
	return historyBanner(conversation) ?? 'Loading…';
}

export const MessageView = memo(function MessageView({
	window,
	conversation,
	height,
}: {
	readonly window: MessageWindow;
	readonly conversation: Conversation | undefined;
	readonly height: number;
}) {
	const note = emptyNote(conversation);
	// Clipped top and bottom only: the window's rows already fit the width, and clipping sideways
	// would make Ink slice every line again on every frame.
	return (
		<Box flexDirection="column" height={height} justifyContent="flex-end" overflowY="hidden">
			{note ? (
				<Text dimColor wrap="truncate">
					{note}
				</Text>
			) : null}
			{rowBlocks(window.rows).map((block) => (
				<MessageBlock key={block.key} block={block} />
			))}
		</Box>
	);
});
