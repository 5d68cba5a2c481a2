import { commandFor } from '../keys/match-key.js';
import { keyPriority } from '../components/KeypressProvider.js';
import { canDelete, canEdit, selectedMessage, type ViewSize } from '../state/message-selection.js';
import { useChatActions } from './use-chat.js';
import { useKeypress } from './use-keypress.js';

/**
 * The keys of selection mode (entered with ↑ from an empty input): ↑/↓ move, r or Enter reply,
 * e edit, d delete, Esc back. Any other key leaves the mode and goes on: a letter is typed into
 * the input, as everywhere (issue 14).
 */
export function useSelectionKeys(view: ViewSize): void {
	const actions = useChatActions();
	useKeypress(
		(key) => {
			const state = actions.getState();
			if (!state.selection || state.overlay) return false;
			const message = selectedMessage(state);
			const command = message ? commandFor(key, ['selection']) : undefined;
			const say = (text: string) => actions.dispatch({ type: 'notice-shown', kind: 'info', text });
			switch (command) {
				case 'selection-previous':
				case 'selection-next':
					actions.dispatch({
						type: 'message-selection-moved',
						step: command === 'selection-next' ? 1 : -1,
						view,
					});
					return true;
				case 'reply':
					actions.dispatch({ type: 'compose-started', mode: 'reply' });
					return true;
				case 'edit':
					if (message && canEdit(state, message))
						actions.dispatch({ type: 'compose-started', mode: 'edit' });
					else say('Only your own messages can be edited');
					return true;
				case 'delete-message':
					if (message && canDelete(state, message)) {
						// The dialog shows the message; whatever it answers, the input comes next.
						actions.dispatch({ type: 'message-selection-ended' });
						actions.dispatch({
							type: 'overlay-opened',
							overlay: { kind: 'confirm-delete', message },
						});
					} else say('You can delete your own messages (and any, as a group owner or admin)');
					return true;
				case 'selection-leave':
					actions.dispatch({ type: 'message-selection-ended' });
					return true;
				default:
					actions.dispatch({ type: 'message-selection-ended' });
					return false;
			}
		},
		{ priority: keyPriority.selection },
	);
}
