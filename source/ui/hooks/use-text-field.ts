import { useCallback } from 'react';
import { commandFor } from '../keys/match-key.js';
import type { KeyPress } from '../keys/parse-key.js';
import { editText, emptyInput, isEditCommand, type TextInput } from '../state/text-input.js';
import { useSyncState } from './use-sync-state.js';

/** A one-line text field's state and the keys that edit it (the pure part is `editText`). */
export function useTextField(initial: TextInput = emptyInput) {
	const [input, setInput, read] = useSyncState(initial);
	const handleKey = useCallback(
		(key: KeyPress): boolean => {
			const command = commandFor(key, ['text']);
			if (command && isEditCommand(command)) {
				setInput((current) => editText(current, { type: command }));
				return true;
			}
			const text = key.text.replace(/\s+/g, key.name === 'text' ? ' ' : '');
			if (text === '' || key.ctrl || key.meta) return false;
			setInput((current) => editText(current, { type: 'insert', text }));
			return true;
		},
		[setInput],
	);
	return { input, read, setInput, handleKey };
}
