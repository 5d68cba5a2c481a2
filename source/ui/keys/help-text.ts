import { slashCommands } from '../actions/slash-commands.js';
import { keyBindings, scopes, type Scope } from './key-bindings.js';
import { keyLabel } from './match-key.js';

export type HelpLine =
	| { readonly kind: 'heading'; readonly text: string }
	| { readonly kind: 'entry'; readonly keys: string; readonly text: string };

// Every scope, in the order `scopes` lists them: a new scope cannot be left out of the help.
const sections = Object.keys(scopes) as Scope[];

const editingWords: Record<string, string> = {
	'cursor-left': 'Character left',
	'cursor-right': 'Character right',
	'word-left': 'Word left',
	'word-right': 'Word right',
	'cursor-home': 'Start of line',
	'cursor-end': 'End of line',
	'delete-backward': 'Delete before the cursor',
	'delete-forward': 'Delete under the cursor',
	'delete-word': 'Delete the word before',
};

/** The help overlay's text, made from the key bindings and the slash commands (so it cannot drift). */
export function helpLines(): HelpLine[] {
	const lines: HelpLine[] = [];
	for (const scope of sections) {
		lines.push({ kind: 'heading', text: scopes[scope] });
		for (const binding of keyBindings) {
			if (binding.scope !== scope) continue;
			const text =
				('help' in binding ? binding.help : undefined) ??
				editingWords[binding.command] ??
				binding.command;
			const keys =
				'label' in binding && binding.label ? binding.label : binding.keys.map(keyLabel).join(' ');
			lines.push({ kind: 'entry', keys, text });
		}
		if (scope === 'input') {
			lines.push({ kind: 'heading', text: 'Slash commands (in the input line)' });
			for (const [usage, text] of slashCommands) lines.push({ kind: 'entry', keys: usage, text });
		}
	}
	return lines;
}
