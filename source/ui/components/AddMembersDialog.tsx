import { Box, Text } from 'ink';
import { useEffect } from 'react';
import type { ChatUser } from '../../client/index.js';
import { refreshMembers } from '../actions/conversation-actions.js';
import { addMembers } from '../actions/group-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { commandFor } from '../keys/match-key.js';
import type { ChatState } from '../state/chat-state.js';
import { groupNamed } from '../state/selectors.js';
import { fuzzyFilter } from '../text/fuzzy-match.js';
import { safeLine } from '../text/safe-text.js';
import { fit } from '../text/text-width.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';
import type { GroupBoxProps } from './group-box-props.js';

type Picker = {
	readonly index: number;
	readonly marked: ReadonlySet<string>;
	readonly role: 'user' | 'admin';
};

/** Users who are not members yet, matching `query`. */
function candidates(state: ChatState, group: string, query: string): ChatUser[] {
	const members = new Set((state.members[group] ?? []).map((member) => member.name));
	const others = state.users.filter((user) => !members.has(user.name) && user.name !== state.me);
	return fuzzyFilter(query, others, (user) => user.name);
}

/** Alt+I in Groups: pick users (Space marks several), Tab picks the role, Enter adds them. */
export function AddMembersDialog({ group, width, height }: GroupBoxProps) {
	const actions = useChatActions();
	const state = useChatState();
	const field = useTextField();
	const task = useDialogTask();
	const [picker, setPicker, readPicker] = useSyncState<Picker>({
		index: 0,
		marked: new Set(),
		role: 'user',
	});
	const membersKnown = state.members[group] !== undefined;

	useEffect(() => {
		if (!membersKnown) void refreshMembers(actions, group);
	}, [membersKnown, actions, group]);

	useKeypress(
		(key) => {
			const list = candidates(actions.getState(), group, field.read().text);
			const current = readPicker();
			const at = Math.min(current.index, Math.max(0, list.length - 1));
			const selected = list[at];
			const command = commandFor(key, ['dialog', 'list', 'picker']);
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (task.busy) return true;
			else if (command === 'list-next')
				setPicker({ ...current, index: Math.min(list.length - 1, at + 1) });
			else if (command === 'list-previous') setPicker({ ...current, index: Math.max(0, at - 1) });
			else if (command === 'toggle-role')
				setPicker({ ...current, role: current.role === 'user' ? 'admin' : 'user' });
			else if (command === 'toggle-mark' && selected) {
				const marked = new Set(current.marked);
				if (marked.has(selected.name)) marked.delete(selected.name);
				else marked.add(selected.name);
				setPicker({ ...current, marked });
			} else if (command === 'accept') {
				const chosen =
					current.marked.size > 0 ? [...current.marked] : selected ? [selected.name] : [];
				if (chosen.length === 0)
					task.setError('Nobody to add: type a name or mark someone with Space');
				else {
					const invitations = chosen.map((user) => ({ user, role: current.role }));
					void task.run(
						() => addMembers(actions, group, invitations),
						() => actions.dispatch({ type: 'overlay-closed' }),
					);
				}
			} else if (field.handleKey(key)) setPicker({ ...readPicker(), index: 0 });
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const list = candidates(state, group, field.input.text);
	const at = Math.min(picker.index, Math.max(0, list.length - 1));
	const visible = Math.max(1, Math.min(10, height - 12, Math.max(1, list.length)));
	const start = Math.max(0, Math.min(at - visible + 1, list.length - visible));
	const details = groupNamed(state, group);
	return (
		<DialogFrame
			title={`Add members to #${safeLine(group)}${details ? ` (you are ${details.role})` : ''}`}
			width={width}
			error={task.error}
			busy={task.busy ? 'Adding…' : undefined}
			footer="type to filter · ↑/↓ · Space mark · Tab role · Enter add · Esc close"
		>
			<Box>
				<Text color="cyan">› </Text>
				<TextField input={field.input} focused width={width - 8} placeholder="filter users" />
			</Box>
			<Text>
				Role:{' '}
				<Text bold color={picker.role === 'admin' ? 'yellow' : 'green'}>
					{picker.role}
				</Text>
				<Text dimColor>
					{' '}
					(Tab: {picker.role === 'user' ? 'admin' : 'user'}; only the owner makes admins)
				</Text>
			</Text>
			<Box flexDirection="column" marginTop={1} height={visible}>
				{list.length === 0 ? (
					<Text dimColor>
						{membersKnown ? 'Everyone matching is already a member.' : 'Loading members…'}
					</Text>
				) : null}
				{list.slice(start, start + visible).map((user) => (
					<Text key={user.name} inverse={user === list[at]} wrap="truncate">
						{picker.marked.has(user.name) ? '[x] ' : '[ ] '}
						<Text color={user.online ? 'green' : 'gray'}>{user.online ? '●' : '○'}</Text>{' '}
						{fit(safeLine(user.name), 24)}
						<Text dimColor={user !== list[at]}>
							{fit(user.displayName === user.name ? '' : safeLine(user.displayName), width - 34)}
						</Text>
					</Text>
				))}
			</Box>
		</DialogFrame>
	);
}
