import { Box, Text } from 'ink';
import { memo } from 'react';
import { submitInput } from '../actions/submit-input.js';
import { noteTyping } from '../actions/typing-actions.js';
import { composeLabel } from '../layout/compose-label.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { inputRows, inputWindow } from '../layout/input-layout.js';
import { maxInputRows } from '../layout/screen-layout.js';
import { commandFor } from '../keys/match-key.js';
import { currentDraft, type ChatState } from '../state/chat-state.js';
import { isEditCommand } from '../state/text-input.js';
import { safeLine } from '../text/safe-text.js';
import { keyPriority } from './KeypressProvider.js';

/** How many rows the draft takes at `width` (for the layout, before rendering). */
export function draftRowCount(text: string, width: number): number {
	return inputRows({ text, cursor: text.length }, width, maxInputRows).length;
}

/** `@josie` or `#chat`: where Enter sends to (undefined with nothing open). */
function openTarget(state: ChatState): string | undefined {
	const conversation = state.open ? state.conversations[state.open] : undefined;
	if (!conversation) return undefined;
	return `${conversation.kind === 'group' ? '#' : '@'}${conversation.name}`;
}

/** The message line: sends on Enter, runs /commands, Alt+Enter for a new line. */
export const InputBox = memo(function InputBox({
	textWidth,
	height,
}: {
	readonly textWidth: number;
	readonly height: number;
}) {
	// Slices: scrolling or new messages change the state, but not what this box shows.
	const actions = useChatActions();
	const focused = useChatState((state) => state.focus === 'input' && !state.overlay);
	const draft = useChatState(currentDraft);
	const target = useChatState(openTarget);
	const ended = useChatState((state) =>
		state.open ? state.conversations[state.open]?.ended : undefined,
	);
	const compose = useChatState((state) =>
		state.compose?.conversation === state.open ? state.compose : undefined,
	);

	useKeypress(
		(key) => {
			const current = actions.getState();
			if (current.focus !== 'input' || current.overlay) return false;
			const command = commandFor(key, ['input', 'text']);
			const empty = currentDraft(current).text === '';
			if (command === 'submit') void submitInput(actions);
			else if (command === 'select-messages' && empty)
				actions.dispatch({ type: 'message-selection-started' });
			else if (command === 'select-messages') return false;
			else if (command === 'compose-cancel') {
				if (!current.compose) return false;
				actions.dispatch({ type: 'compose-ended' });
			} else if (command === 'newline')
				actions.dispatch({ type: 'draft-edited', edit: { type: 'insert', text: '\n' } });
			else if (command === 'recall-previous' || command === 'recall-next') {
				actions.dispatch({ type: 'input-recalled', step: command === 'recall-previous' ? -1 : 1 });
			} else if (command && isEditCommand(command))
				actions.dispatch({ type: 'draft-edited', edit: { type: command } });
			else if (key.text && !key.ctrl && !key.meta) {
				actions.dispatch({ type: 'draft-edited', edit: { type: 'insert', text: key.text } });
				noteTyping(actions);
			} else return false;
			return true;
		},
		{ priority: keyPriority.widget },
	);

	const placeholder = ended
		? `${ended}: this conversation is closed · Ctrl+K, /dm or /group to go on`
		: compose
			? compose.mode === 'reply'
				? `Reply to ${safeLine(compose.message.from)} · Enter send · Esc cancels`
				: 'The new text · Enter saves · Esc cancels'
			: target
				? `Message ${target} · Enter send · Alt+Enter new line · Tab complete · F1 help`
				: 'Type /dm <user>, /group <name>, /create <group> · Ctrl+K switch · F1 help';
	const { rows, above, below } = inputWindow(draft, textWidth, maxInputRows);
	const more = (count: number, arrow: string) =>
		count > 0 ? ` ${arrow} ${count} more line${count === 1 ? '' : 's'} ` : '';
	const label = compose ? composeLabel(compose, textWidth) : undefined;
	return (
		<Box
			height={height}
			flexDirection="column"
			borderStyle="round"
			borderColor={focused ? 'cyan' : 'gray'}
			paddingX={1}
		>
			{above > 0 || below > 0 || label ? (
				// Over the top border: a reply or edit under way, and how much of a long draft is out
				// of view.
				<Box position="absolute" marginTop={-1} marginLeft={1}>
					<Text wrap="truncate">
						{label ? <Text color="yellow">{label}</Text> : null}
						<Text dimColor>{more(above, '↑') || more(below, '↓')}</Text>
					</Text>
				</Box>
			) : null}
			{draft.text === '' ? (
				<Text wrap="truncate">
					<Text color="cyan">› </Text>
					{focused ? <Text inverse> </Text> : ' '}
					<Text dimColor color={ended ? 'red' : undefined}>
						{placeholder}
					</Text>
				</Text>
			) : (
				// The prompt is a text of its own, so the typed text is measured apart from the `›`
				// (see MessageBlock).
				rows.map((row, index) => (
					<Box key={row.key}>
						<Text color="cyan">{index === 0 ? '› ' : '  '}</Text>
						<Text wrap="truncate">
							{row.before}
							{row.at !== undefined ? focused ? <Text inverse>{row.at}</Text> : row.at : null}
							{row.after}
						</Text>
					</Box>
				))
			)}
		</Box>
	);
});
