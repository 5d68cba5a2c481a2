import { Text } from 'ink';
import { memo } from 'react';
import { openConversation } from '../actions/conversation-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { conversationId } from '../state/chat-state.js';
import { usersInPaneOrder } from '../state/people-order.js';
import { selectedName } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import { keyPriority } from './KeypressProvider.js';
import { typeIntoInput } from './pane-typing.js';
import { SidePane } from './SidePane.js';
import { badgeWidth, UnreadBadge } from './UnreadBadge.js';

/** Everyone on the server: ● online, ○ offline, unread direct messages; Enter opens a conversation. */
export const UsersPane = memo(function UsersPane({
	width,
	height,
}: {
	readonly width: number;
	readonly height: number;
}) {
	// Who you talk with first (recent conversations), then everyone else.
	const users = useChatState(usersInPaneOrder);
	const me = useChatState((state) => state.me);
	const order = useChatState((state) => state.order);
	const open = useChatState((state) => state.open);
	const actions = useChatActions();
	const focused = useChatState((state) => state.focus === 'users' && !state.overlay);
	const selected = useChatState((state) => selectedName(state, 'users'));

	useKeypress(
		(key) => {
			const current = actions.getState();
			if (current.focus !== 'users' || current.overlay) return false;
			const chosen = selectedName(current, 'users');
			const command = commandFor(key, ['pane']);
			if (command === 'select-previous' || command === 'select-next') {
				actions.dispatch({
					type: 'selection-moved',
					pane: 'users',
					step: command === 'select-next' ? 1 : -1,
				});
			} else if (command === 'open' && chosen) {
				void openConversation(actions, conversationId('user', chosen));
			} else {
				return typeIntoInput(actions, key);
			}
			return true;
		},
		{ priority: keyPriority.widget },
	);

	const online = users.filter((user) => user.online).length;
	const nameWidth = width - 2 - 4 - badgeWidth;
	const rows = users.map((user) => {
		const id = conversationId('user', user.name);
		const place = order.indexOf(id);
		const name = `${safeLine(user.name)}${user.name === me ? ' (you)' : ''}`;
		return {
			key: user.name,
			selected: user.name === selected,
			content: (
				<>
					<Text dimColor>{place >= 0 && place < 9 ? place + 1 : ' '}</Text>{' '}
					<Text color={user.online ? 'green' : 'gray'}>{user.online ? '●' : '○'}</Text>{' '}
					<Text bold={id === open}>{fit(name, nameWidth)}</Text>
					<UnreadBadge id={id} />
				</>
			),
		};
	});
	return (
		<SidePane
			title="Users"
			info={`${online}/${users.length}`}
			focused={focused}
			width={width}
			height={height}
			rows={rows}
			empty="nobody yet"
			hint="Enter open · type to write"
		/>
	);
});
