import { Text } from 'ink';
import { inputRows } from '../layout/input-layout.js';
import type { TextInput } from '../state/text-input.js';

export type TextFieldProps = {
	readonly input: TextInput;
	readonly focused: boolean;
	readonly width: number;
	/** Shown instead of each character (passwords). */
	readonly mask?: string;
	readonly placeholder?: string;
};

/** A one-line text field with a block cursor when focused. */
export function TextField({ input, focused, width, mask, placeholder }: TextFieldProps) {
	if (input.text === '' && placeholder && !focused) return <Text dimColor>{placeholder}</Text>;
	const [row] = inputRows(input, width, 1, mask);
	if (!row) return <Text> </Text>;
	return (
		<Text wrap="truncate">
			{row.before}
			{row.at !== undefined && focused ? <Text inverse>{row.at}</Text> : (row.at ?? '')}
			{row.after}
			{input.text === '' && placeholder ? <Text dimColor>{placeholder}</Text> : null}
		</Text>
	);
}
