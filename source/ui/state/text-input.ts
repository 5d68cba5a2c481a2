import { graphemes } from '../text/text-width.js';

/** A text field's content and cursor (an index into `text`, always at a character boundary). */
export type TextInput = { readonly text: string; readonly cursor: number };

export const emptyInput: TextInput = { text: '', cursor: 0 };

export type TextEdit =
	| { readonly type: 'insert'; readonly text: string }
	| { readonly type: 'replace'; readonly text: string }
	| {
			readonly type:
				| 'cursor-left'
				| 'cursor-right'
				| 'cursor-home'
				| 'cursor-end'
				| 'word-left'
				| 'word-right'
				| 'delete-backward'
				| 'delete-forward'
				| 'delete-word'
				| 'delete-line';
	  };

export const textEditTypes = [
	'cursor-left',
	'cursor-right',
	'cursor-home',
	'cursor-end',
	'word-left',
	'word-right',
	'delete-backward',
	'delete-forward',
	'delete-word',
	'delete-line',
] as const;

/** The key command names that are plain edits. */
export function isEditCommand(command: string): command is (typeof textEditTypes)[number] {
	return (textEditTypes as readonly string[]).includes(command);
}

function previousBoundary(text: string, cursor: number): number {
	const before = graphemes(text.slice(0, cursor));
	return cursor - (before.at(-1)?.length ?? 0);
}

function nextBoundary(text: string, cursor: number): number {
	const after = graphemes(text.slice(cursor, cursor + 16));
	return cursor + (after[0]?.length ?? 0);
}

function wordStart(text: string, cursor: number): number {
	let index = cursor;
	while (index > 0 && /\s/.test(text[index - 1]!)) index -= 1;
	while (index > 0 && !/\s/.test(text[index - 1]!)) index -= 1;
	return index;
}

function wordEnd(text: string, cursor: number): number {
	let index = cursor;
	while (index < text.length && /\s/.test(text[index]!)) index += 1;
	while (index < text.length && !/\s/.test(text[index]!)) index += 1;
	return index;
}

const lineStart = (text: string, cursor: number) => text.lastIndexOf('\n', cursor - 1) + 1;

function lineEnd(text: string, cursor: number): number {
	const end = text.indexOf('\n', cursor);
	return end === -1 ? text.length : end;
}

const cut = (input: TextInput, from: number, to: number): TextInput =>
	from === to ? input : { text: input.text.slice(0, from) + input.text.slice(to), cursor: from };

/** Applies one edit; pure, in the manner of ink-ui's text-input reducer. */
export function editText(input: TextInput, edit: TextEdit): TextInput {
	const { text, cursor } = input;
	switch (edit.type) {
		case 'insert':
			return {
				text: text.slice(0, cursor) + edit.text + text.slice(cursor),
				cursor: cursor + edit.text.length,
			};
		case 'replace':
			return { text: edit.text, cursor: edit.text.length };
		case 'cursor-left':
			return { text, cursor: previousBoundary(text, cursor) };
		case 'cursor-right':
			return { text, cursor: nextBoundary(text, cursor) };
		case 'cursor-home':
			return { text, cursor: lineStart(text, cursor) };
		case 'cursor-end':
			return { text, cursor: lineEnd(text, cursor) };
		case 'word-left':
			return { text, cursor: wordStart(text, cursor) };
		case 'word-right':
			return { text, cursor: wordEnd(text, cursor) };
		case 'delete-backward':
			return cut(input, previousBoundary(text, cursor), cursor);
		case 'delete-forward':
			return cut(input, cursor, nextBoundary(text, cursor));
		case 'delete-word':
			return cut(input, wordStart(text, cursor), cursor);
		case 'delete-line':
			// Ctrl+U, readline's unix-line-discard: the draft is one line to it, so all before the cursor.
			return cut(input, 0, cursor);
	}
}
