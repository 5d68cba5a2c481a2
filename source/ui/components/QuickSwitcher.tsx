import { Box, Text } from 'ink';
import { openConversation } from '../actions/conversation-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { commandFor } from '../keys/match-key.js';
import { switcherItems } from '../state/switcher-items.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';

/** Ctrl+K: type a few letters of a user or group, Enter opens it. */
export function QuickSwitcher({
	width,
	height,
}: {
	readonly width: number;
	readonly height: number;
}) {
	const state = useChatState();
	const actions = useChatActions();
	const field = useTextField();
	const [index, setIndex, readIndex] = useSyncState(0);
	const items = switcherItems(state, field.input.text);
	const visible = Math.max(1, Math.min(12, height - 8, items.length));
	const selected = Math.min(index, Math.max(0, items.length - 1));

	useKeypress(
		(key) => {
			// Read afresh: keys typed in one burst arrive before the next render.
			const matches = switcherItems(actions.getState(), field.read().text);
			const at = Math.min(readIndex(), Math.max(0, matches.length - 1));
			const command = commandFor(key, ['dialog', 'list']);
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (command === 'accept') {
				const item = matches[at];
				if (item) void openConversation(actions, item.id);
			} else if (command === 'list-next' || key.name === 'tab')
				setIndex(Math.min(matches.length - 1, at + 1));
			else if (command === 'list-previous') setIndex(Math.max(0, at - 1));
			else if (field.handleKey(key)) setIndex(0);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const start = Math.max(0, Math.min(selected - visible + 1, items.length - visible));
	return (
		<DialogFrame
			title="Go to a conversation"
			width={width}
			footer="type to filter · ↑/↓ choose · Enter open · Esc close"
		>
			<Box>
				<Text color="cyan">› </Text>
				<TextField input={field.input} focused width={width - 8} placeholder="user or group name" />
			</Box>
			<Box flexDirection="column" marginTop={1} height={visible}>
				{items.length === 0 ? <Text dimColor>Nothing matches.</Text> : null}
				{items.slice(Math.max(0, start), Math.max(0, start) + visible).map((item) => {
					const isSelected = item === items[selected];
					const sigil = item.kind === 'group' ? '#' : '@';
					const badge = item.unread > 0 ? ` ${item.unread} unread` : '';
					return (
						<Text key={item.id} inverse={isSelected} wrap="truncate">
							{isSelected ? '› ' : '  '}
							<Text color={item.kind === 'group' ? 'magenta' : item.online ? 'green' : undefined}>
								{sigil}
							</Text>
							{fit(safeLine(item.name), 24)}{' '}
							<Text dimColor={!isSelected}>
								{fit(safeLine(item.detail), Math.max(0, width - 44))}
							</Text>
							<Text color="cyan">{fit(badge, 12, 'right')}</Text>
						</Text>
					);
				})}
			</Box>
		</DialogFrame>
	);
}
