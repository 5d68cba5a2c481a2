import type { ActionContext } from '../actions/action-context.js';
import type { KeyPress } from '../keys/parse-key.js';

/**
 * A printable key in a pane: as in every reference client, it is typed into the input line, which
 * takes the focus. Returns whether the key was taken.
 */
export function typeIntoInput(actions: Pick<ActionContext, 'dispatch'>, key: KeyPress): boolean {
	if (!key.text || key.ctrl || key.meta) return false;
	actions.dispatch({ type: 'typed-in-pane', text: key.text });
	return true;
}

/**
 * A printable key in a dialog that has no text field (a confirmation, the members list): the
 * dialog closes, changing nothing, and the text goes to the input, so no typing is lost.
 */
export function typeOutOfDialog(actions: Pick<ActionContext, 'dispatch'>, key: KeyPress): boolean {
	if (!key.text || key.ctrl || key.meta) return false;
	actions.dispatch({ type: 'overlay-closed' });
	actions.dispatch({ type: 'typed-in-pane', text: key.text });
	return true;
}
