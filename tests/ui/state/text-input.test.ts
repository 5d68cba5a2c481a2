import { describe, expect, it } from 'vitest';
import { editText, type TextEdit, type TextInput } from '../../../source/ui/state/text-input.js';

const run = (start: TextInput, ...edits: TextEdit[]) => edits.reduce(editText, start);
const at = (text: string, cursor = text.length): TextInput => ({ text, cursor });

describe('editText', () => {
	it('inserts at the cursor and moves it', () => {
		expect(run(at('hllo', 1), { type: 'insert', text: 'e' })).toEqual(at('hello', 2));
	});

	it('moves and deletes by whole characters, emoji included', () => {
		const input = at('a👍🏽b');
		expect(run(input, { type: 'cursor-left' }, { type: 'cursor-left' })).toEqual(at('a👍🏽b', 1));
		expect(run(input, { type: 'cursor-left' }, { type: 'delete-backward' })).toEqual(at('ab', 1));
		expect(run(at('a👍🏽b', 1), { type: 'delete-forward' })).toEqual(at('ab', 1));
	});

	it('works by words and lines', () => {
		expect(run(at('say hello there'), { type: 'delete-word' })).toEqual(at('say hello ', 10));
		expect(run(at('say hello there'), { type: 'word-left' }, { type: 'word-left' }).cursor).toBe(4);
		expect(run(at('say hello', 0), { type: 'word-right' }).cursor).toBe(3);
		expect(run(at('one\ntwo three'), { type: 'cursor-home' }).cursor).toBe(4);
		expect(run(at('one\ntwo', 1), { type: 'cursor-end' }).cursor).toBe(3);
		// Ctrl+U clears the whole draft before the cursor, every line of it.
		expect(run(at('one\ntwo three'), { type: 'delete-line' })).toEqual(at('', 0));
		expect(run(at('one two', 4), { type: 'delete-line' })).toEqual(at('two', 0));
	});

	it('does nothing past the ends', () => {
		expect(
			run(
				at('', 0),
				{ type: 'delete-backward' },
				{ type: 'cursor-left' },
				{ type: 'delete-forward' },
			),
		).toEqual(at('', 0));
	});
});
