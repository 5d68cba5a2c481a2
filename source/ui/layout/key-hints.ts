import { textWidth } from '../text/text-width.js';

/** The key hints of the status bar for what has the focus, most useful first. */
export const keyHints = {
	input: ['Tab panes', 'Ctrl+K switch', 'Alt+1…9', 'PgUp/PgDn', 'F2 notices', 'Ctrl+C quit'],
	users: ['↑/↓ move', 'Enter open', 'typing goes to the input', 'Tab next'],
	groups: ['Alt+N new', 'Alt+I add', 'Alt+M members', 'Alt+L leave', 'Alt+D delete', 'Enter open'],
} as const;

/** The hints while a message is selected: only what may be done to it. */
export function selectionHints(allowed: { edit: boolean; delete: boolean }): string[] {
	return [
		'↑/↓ move',
		'r reply',
		...(allowed.edit ? ['e edit'] : []),
		...(allowed.delete ? ['d delete'] : []),
		'Esc back',
	];
}

const help = 'F1 help';
const joiner = ' · ';

/**
 * As many hints as fit in `width` columns, in order, and always "F1 help" last: on a small
 * screen the bar shortens, and the way to every key stays in view.
 */
export function fitHints(hints: readonly string[], width: number): string {
	const shown: string[] = [];
	let used = textWidth(help);
	for (const hint of hints) {
		const size = textWidth(hint) + textWidth(joiner);
		if (used + size > width) break;
		shown.push(hint);
		used += size;
	}
	return [...shown, help].join(joiner);
}
