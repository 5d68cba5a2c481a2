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
