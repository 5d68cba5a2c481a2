import { Box, Text } from 'ink';
import { changePassword } from '../actions/session-actions.js';
import { useChatActions } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { commandFor } from '../keys/match-key.js';
import { passwordProblem } from '../state/password-change.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';

const labels = ['Current', 'New', 'Repeat'] as const;

/**
 * /passwd: the current password, the new one twice, each shown as dots. Enter moves to the next
 * field, and on the last one changes it; a mismatch or a short password is said in place.
 */
export function PasswordDialog({ width }: { readonly width: number }) {
	const actions = useChatActions();
	const task = useDialogTask();
	const fields = [useTextField(), useTextField(), useTextField()] as const;
	const [at, setAt, readAt] = useSyncState(0);

	useKeypress(
		(key) => {
			const command = commandFor(key, ['dialog', 'login']);
			const focused = readAt();
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (command === 'field-next') setAt((focused + 1) % 3);
			else if (command === 'field-previous') setAt((focused + 2) % 3);
			else if (command === 'accept') {
				const [current, next, repeat] = fields.map((field) => field.read().text);
				if (focused < 2 && fields[focused]!.read().text !== '') setAt(focused + 1);
				else {
					const problem = passwordProblem(current!, next!, repeat!);
					if (problem) {
						task.setError(problem.text);
						setAt(problem.field);
					} else
						void task.run(
							() => changePassword(actions, current!, next!),
							() => actions.dispatch({ type: 'overlay-closed' }),
						);
				}
			} else if (!task.busy && fields[focused]!.handleKey(key)) task.setError(undefined);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	return (
		<DialogFrame
			title="Change your password"
			width={width}
			error={task.error}
			busy={task.busy ? 'Changing…' : undefined}
			footer="Tab/↓ next field · Enter next / change · Esc cancel"
		>
			{labels.map((label, index) => (
				<Box key={label}>
					<Box width={11}>
						<Text bold={at === index} color={at === index ? 'cyan' : undefined}>
							{at === index ? '› ' : '  '}
							{label}
						</Text>
					</Box>
					<TextField
						input={fields[index]!.input}
						focused={at === index}
						width={width - 17}
						mask="•"
					/>
				</Box>
			))}
			<Text dimColor>8 to 256 characters. Your other devices will be logged out.</Text>
		</DialogFrame>
	);
}
