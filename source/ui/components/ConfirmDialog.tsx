import { Box, Text } from 'ink';
import { useState, type ReactNode } from 'react';
import type { ChatMessage } from '../../client/index.js';
import { deleteGroup, leaveGroup } from '../actions/group-actions.js';
import { deleteMessage } from '../actions/message-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useDialogTask } from '../hooks/use-dialog-task.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { commandFor } from '../keys/match-key.js';
import { firstWords } from '../layout/reply-quote.js';
import { groupNamed } from '../state/selectors.js';
import { safeLine } from '../text/safe-text.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { typeOutOfDialog } from './pane-typing.js';

export type ConfirmDialogProps = {
	readonly title: string;
	/** The word on the button that does it ("Delete", "Leave"). */
	readonly yes: string;
	/** Does it; resolves with the error to show, or undefined when done (the dialog closes). */
	readonly onConfirm: () => Promise<string | undefined>;
	readonly width: number;
	readonly children: ReactNode;
};

/**
 * A question before something that cannot be undone: Enter on the chosen button (Cancel at
 * first) or Alt+Y. No letter confirms, so a sentence typed on cannot do anything.
 */
export function ConfirmDialog({
	title,
	yes: yesLabel,
	onConfirm,
	width,
	children,
}: ConfirmDialogProps) {
	const actions = useChatActions();
	const task = useDialogTask();
	const [yes, setYes] = useState(false);
	const close = () => actions.dispatch({ type: 'overlay-closed' });
	const confirm = () => void task.run(onConfirm, close);

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

	return (
		<DialogFrame
			title={title}
			width={width}
			error={task.error}
			busy={task.busy ? 'Working…' : undefined}
			footer="←/→ choose · Enter do it · Alt+Y yes · Esc no"
		>
			{children}
			<Box marginTop={1} gap={2}>
				<Text inverse={yes} color={yes ? 'red' : undefined}>
					{' '}
					{yesLabel}{' '}
				</Text>
				<Text inverse={!yes}> Cancel </Text>
			</Box>
		</DialogFrame>
	);
}

/** Leave or delete a group. */
export function GroupConfirmDialog({
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
	const name = `#${safeLine(group)}`;
	const others = details ? details.members - 1 : undefined;
	return (
		<ConfirmDialog
			title={action === 'delete' ? `Delete ${name}?` : `Leave ${name}?`}
			yes={action === 'delete' ? 'Delete' : 'Leave'}
			width={width}
			onConfirm={() =>
				action === 'delete' ? deleteGroup(actions, group) : leaveGroup(actions, group)
			}
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
		</ConfirmDialog>
	);
}

/** `d` on a selected message. */
export function MessageConfirmDialog({
	message,
	width,
}: {
	readonly message: ChatMessage;
	readonly width: number;
}) {
	const actions = useChatActions();
	const me = useChatState((state) => state.me);
	const whose = message.from === me ? 'your message' : `${safeLine(message.from)}'s message`;
	return (
		<ConfirmDialog
			title={`Delete ${whose}?`}
			yes="Delete"
			width={width}
			onConfirm={() => deleteMessage(actions, message)}
		>
			<Text dimColor wrap="truncate">
				“{firstWords(message.body, width - 8)}”
			</Text>
			<Text>It shows as “message deleted” for everyone. This cannot be undone.</Text>
		</ConfirmDialog>
	);
}
