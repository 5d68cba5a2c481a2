import { Box, Text } from 'ink';
import { useEffect } from 'react';
import { refreshMembers } from '../actions/conversation-actions.js';
import { addMembers, removeMembers } from '../actions/group-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { commandFor } from '../keys/match-key.js';
import { groupNamed } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { typeOutOfDialog } from './pane-typing.js';
import type { GroupBoxProps } from './group-box-props.js';

const mayDo = {
	owner: 'You own it: add, remove, make admins.',
	admin: 'You are an admin: add and remove members; only the owner makes admins.',
	user: 'You are a member: only the owner or an admin can change members.',
};

/** Alt+M in Groups: members and roles; Alt+X removes, Alt+P makes admin (or user), Alt+I adds. */
export function MembersDialog({ group, width, height }: GroupBoxProps) {
	const actions = useChatActions();
	const members = useChatState((state) => state.members[group]);
	const details = useChatState((state) => groupNamed(state, group));
	const task = useDialogTask();
	const [index, setIndex, readIndex] = useSyncState(0);

	useEffect(() => {
		void refreshMembers(actions, group);
	}, [actions, group]);

	const list = members ?? [];
	const shownSelected = list[Math.min(index, list.length - 1)];
	const visible = Math.max(1, Math.min(14, height - 10, Math.max(1, list.length)));

	useKeypress(
		(key) => {
			const everyone = actions.getState().members[group] ?? [];
			const at = Math.min(readIndex(), Math.max(0, everyone.length - 1));
			const selected = everyone[at];
			const command = commandFor(key, ['dialog', 'list', 'members']);
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (task.busy) return true;
			else if (command === 'list-next') setIndex(Math.min(everyone.length - 1, at + 1));
			else if (command === 'list-previous') setIndex(Math.max(0, at - 1));
			else if (command === 'member-add')
				actions.dispatch({ type: 'overlay-opened', overlay: { kind: 'add-members', group } });
			else if (command === 'member-remove' && selected)
				void task.run(() => removeMembers(actions, group, [selected.name]));
			else if (command === 'member-role' && selected) {
				const role = selected.role === 'admin' ? 'user' : 'admin';
				void task.run(() => addMembers(actions, group, [{ user: selected.name, role }]));
			} else typeOutOfDialog(actions, key);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const start = Math.max(0, Math.min(index - visible + 1, list.length - visible));
	return (
		<DialogFrame
			title={`Members of #${safeLine(group)}${members ? ` (${members.length})` : ''}`}
			width={width}
			error={task.error}
			busy={task.busy ? 'Working…' : undefined}
			footer="↑/↓ · Alt+I add · Alt+X remove · Alt+P admin/user · Esc"
		>
			<Text dimColor>{details ? mayDo[details.role] : 'You are not a member of this group.'}</Text>
			<Box flexDirection="column" marginTop={1} height={visible}>
				{members === undefined ? <Text dimColor>Loading…</Text> : null}
				{list.slice(Math.max(0, start), Math.max(0, start) + visible).map((member) => (
					<Text key={member.name} inverse={member === shownSelected} wrap="truncate">
						<Text color={member.online ? 'green' : 'gray'}>{member.online ? '●' : '○'}</Text>{' '}
						{fit(safeLine(member.name), 24)}
						<Text color={member.role === 'user' ? undefined : 'yellow'}>
							{fit(member.role ?? '', 7)}
						</Text>
						<Text dimColor={member !== shownSelected}>
							{fit(
								member.displayName === member.name ? '' : safeLine(member.displayName),
								width - 37,
							)}
						</Text>
					</Text>
				))}
			</Box>
		</DialogFrame>
	);
}
