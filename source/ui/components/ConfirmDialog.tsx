import { Box, Text } from 'ink';
import { useState } from 'react';
import { deleteGroup, leaveGroup } from '../actions/group-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { groupNamed } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { typeOutOfDialog } from './pane-typing.js';

/**
 * Leave or delete a group: Enter on the chosen button (Cancel at first) or Alt+Y. No letter
 * confirms, so a sentence typed on after `/delete` cannot delete anything.
 */
export function ConfirmDialog({
	action,
	group,
	width,
}: {
	readonly action: 'leave' | 'delete';
	readonly group: string;
	readonly width: number;
}) {
	const actions = useChatActions();
	const details = useChatState((state) => groupNamed(state, group));
	const task = useDialogTask();
	const [yes, setYes] = useState(false);
	const close = () => actions.dispatch({ type: 'overlay-closed' });
	const confirm = () =>
		void task.run(
			() => (action === 'delete' ? deleteGroup(actions, group) : leaveGroup(actions, group)),
			close,
		);

	useKeypress(
		(key) => {
			const command = commandFor(key, ['confirm']);
			if (command === 'confirm-no') close();
			else if (command === 'confirm-choose') setYes((chosen) => !chosen);
			else if (command === 'confirm-yes') confirm();
			else if (command === 'confirm-accept') {
				if (yes) confirm();
				else close();
			} else if (!task.busy) typeOutOfDialog(actions, key);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const name = `#${safeLine(group)}`;
	const others = details ? details.members - 1 : undefined;
	return (
		<DialogFrame
			title={action === 'delete' ? `Delete ${name}?` : `Leave ${name}?`}
			width={width}
			error={task.error}
			busy={task.busy ? 'Working…' : undefined}
			footer="←/→ choose · Enter do it · Alt+Y yes · Esc no"
		>
			{action === 'delete' ? (
				<Text>
					The group and its conversation go for everyone
					{others ? ` (${others} other member${others === 1 ? '' : 's'} will be told)` : ''}. This
					cannot be undone.
				</Text>
			) : (
				<Text>
					You will stop receiving its messages; a member with the right role can add you again.
				</Text>
			)}
			<Box marginTop={1} gap={2}>
				<Text inverse={yes} color={yes ? 'red' : undefined}>
					{' '}
					{action === 'delete' ? 'Delete' : 'Leave'}{' '}
				</Text>
				<Text inverse={!yes}> Cancel </Text>
			</Box>
		</DialogFrame>
	);
}
