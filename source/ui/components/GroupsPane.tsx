import { Text } from 'ink';
import { memo } from 'react';
import type { Role } from '../../client/index.js';
import { openConversation } from '../actions/conversation-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { conversationId, type Overlay } from '../state/chat-state.js';
import { selectedName } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import { keyPriority } from './KeypressProvider.js';
import { typeIntoInput } from './pane-typing.js';
import { SidePane } from './SidePane.js';
import { badgeWidth, UnreadBadge } from './UnreadBadge.js';

/** Role marks for narrow panes, as IRC marks operators. */
const roleMarks: Record<Role, string> = { owner: '★', admin: '+', user: ' ' };

/** Your groups with your role and unread counts; keys here create and manage groups. */
export const GroupsPane = memo(function GroupsPane({
	width,
	height,
	roomy,
}: {
	readonly width: number;
	readonly height: number;
	readonly roomy: boolean;
}) {
	const groups = useChatState((state) => state.groups);
	const order = useChatState((state) => state.order);
	const open = useChatState((state) => state.open);
	const actions = useChatActions();
	const focused = useChatState((state) => state.focus === 'groups' && !state.overlay);
	const selected = useChatState((state) => selectedName(state, 'groups'));

	useKeypress(
		(key) => {
			const current = actions.getState();
			if (current.focus !== 'groups' || current.overlay) return false;
			const chosen = selectedName(current, 'groups');
			const command = commandFor(key, ['groups', 'pane']);
			const open = (overlay: Overlay) => actions.dispatch({ type: 'overlay-opened', overlay });
			switch (command) {
				case 'select-previous':
				case 'select-next':
					actions.dispatch({
						type: 'selection-moved',
						pane: 'groups',
						step: command === 'select-next' ? 1 : -1,
					});
					return true;
				case 'group-create':
					open({ kind: 'create-group' });
					return true;
				case undefined:
					return typeIntoInput(actions, key);
			}
			if (!chosen) return false;
			if (command === 'open') void openConversation(actions, conversationId('group', chosen));
			else if (command === 'group-add') open({ kind: 'add-members', group: chosen });
			else if (command === 'group-members') open({ kind: 'members', group: chosen });
			else if (command === 'group-leave') open({ kind: 'confirm', action: 'leave', group: chosen });
			else if (command === 'group-delete')
				open({ kind: 'confirm', action: 'delete', group: chosen });
			else return false;
			return true;
		},
		{ priority: keyPriority.widget },
	);

	const roleWidth = roomy ? 6 : 1;
	const nameWidth = width - 2 - 4 - roleWidth - badgeWidth;
	const rows = groups.map((group) => {
		const id = conversationId('group', group.name);
		const place = order.indexOf(id);
		const role = roomy ? fit(group.role, roleWidth, 'right') : roleMarks[group.role];
		return {
			key: group.name,
			selected: group.name === selected,
			content: (
				<>
					<Text dimColor>{place >= 0 && place < 9 ? place + 1 : ' '}</Text>{' '}
					<Text color="magenta">#</Text>{' '}
					<Text bold={id === open}>{fit(safeLine(group.name), nameWidth)}</Text>
					<Text color={group.role === 'user' ? 'gray' : 'yellow'}>{role}</Text>
					<UnreadBadge id={id} />
				</>
			),
		};
	});
	return (
		<SidePane
			title="Groups"
			info={String(groups.length)}
			focused={focused}
			width={width}
			height={height}
			rows={rows}
			empty="none yet: Alt+N creates one"
			hint="Alt+ N new · I add · M members · L leave · D delete"
		/>
	);
});
