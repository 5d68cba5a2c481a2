import { Text } from 'ink';
import { deleteGroup, leaveGroup } from '../actions/group-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { groupNamed } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';

/** Leave or delete a group, after a y. */
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
	const close = () => actions.dispatch({ type: 'overlay-closed' });

	useKeypress(
		(key) => {
			const command = commandFor(key, ['confirm']);
			if (command === 'confirm-no') close();
			else if (command === 'confirm-yes') {
				void task.run(
					() => (action === 'delete' ? deleteGroup(actions, group) : leaveGroup(actions, group)),
					close,
				);
			}
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
			footer="y yes · n or Esc no"
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
		</DialogFrame>
	);
}
