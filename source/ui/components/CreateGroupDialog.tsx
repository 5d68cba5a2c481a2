import { isValidName } from '../../client/names.js';
import { Box, Text } from 'ink';
import { createGroup } from '../actions/group-actions.js';
import { useChatActions } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useTextField } from '../hooks/use-text-field.js';
import { commandFor } from '../keys/match-key.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';

/** Alt+N in Groups: a name, Enter creates the group (you own it) and opens it. */
export function CreateGroupDialog({ width }: { readonly width: number }) {
	const actions = useChatActions();
	const field = useTextField();
	const task = useDialogTask();

	useKeypress(
		(key) => {
			const command = commandFor(key, ['dialog']);
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (command === 'accept') {
				const name = field.read().text.trim().toLowerCase();
				if (!isValidName(name))
					task.setError('Group names are 1-32 characters of a-z, 0-9, _, - and .');
				else void task.run(() => createGroup(actions, name));
			} else if (!task.busy) field.handleKey(key);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	return (
		<DialogFrame
			title="New group"
			width={width}
			error={task.error}
			busy={task.busy ? 'Creating…' : undefined}
			footer="Enter create · Esc cancel"
		>
			<Box>
				<Box width={8}>
					<Text bold>Name</Text>
				</Box>
				<TextField input={field.input} focused width={width - 14} placeholder="e.g. team-chat" />
			</Box>
			<Text dimColor>You will own it; add members next with a (Groups pane) or /invite.</Text>
		</DialogFrame>
	);
}
