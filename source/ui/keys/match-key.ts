import { keyBindings, type Command, type Scope } from './key-bindings.js';
import type { KeyPress } from './parse-key.js';

type KeySpec = {
	readonly name: string;
	readonly ctrl: boolean;
	readonly meta: boolean;
	readonly shift: boolean;
};

/** Reads `ctrl+k`, `alt+return`, `shift+tab`, `?`… */
export function parseKeySpec(spec: string): KeySpec {
	const parts = spec === '+' ? ['+'] : spec.split('+');
	const name = parts.pop()!;
	return {
		name,
		ctrl: parts.includes('ctrl'),
		meta: parts.includes('alt'),
		shift: parts.includes('shift'),
	};
}

/** Whether `key` is the key `spec` describes. Shift is part of printable keys (`?`, `J`) already. */
export function matchesKey(spec: string, key: KeyPress): boolean {
	const wanted = parseKeySpec(spec);
	if (wanted.name !== key.name || wanted.ctrl !== key.ctrl || wanted.meta !== key.meta)
		return false;
	return [...wanted.name].length === 1 || wanted.shift === key.shift;
}

/** The command `key` runs in the first of `active` scopes that binds it. */
export function commandFor(key: KeyPress, active: readonly Scope[]): Command | undefined {
	for (const scope of active) {
		for (const binding of keyBindings) {
			if (binding.scope === scope && binding.keys.some((spec) => matchesKey(spec, key))) {
				return binding.command;
			}
		}
	}
	return undefined;
}

/** The digit of Alt+1…9, for `conversation-jump`. */
export function jumpIndex(key: KeyPress): number | undefined {
	return /^[1-9]$/.test(key.name) ? Number(key.name) - 1 : undefined;
}

const names: Record<string, string> = {
	return: 'Enter',
	escape: 'Esc',
	pageup: 'PgUp',
	pagedown: 'PgDn',
	up: '↑',
	down: '↓',
	left: '←',
	right: '→',
	tab: 'Tab',
	space: 'Space',
	backspace: 'Backspace',
	delete: 'Del',
	home: 'Home',
	end: 'End',
};

/** `ctrl+k` → `Ctrl+K`, `alt+return` → `Alt+Enter`, as people write keys. */
export function keyLabel(spec: string): string {
	const { name, ctrl, meta, shift } = parseKeySpec(spec);
	const shown =
		names[name] ??
		(/^f\d+$/.test(name) ? name.toUpperCase() : ctrl || meta ? name.toUpperCase() : name);
	return [ctrl && 'Ctrl', meta && 'Alt', shift && 'Shift', shown].filter(Boolean).join('+');
}
