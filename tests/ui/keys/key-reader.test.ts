import { describe, expect, it } from 'vitest';
import { KeyReader } from '../../../source/ui/keys/key-reader.js';

const names = (reader: KeyReader, ...inputs: string[]) =>
	inputs
		.flatMap((input) => reader.read(input))
		.map((key) => (key.name === 'text' ? `text:${key.text}` : key.name));

describe('KeyReader', () => {
	it('splits a typed burst into keys and text', () => {
		expect(names(new KeyReader(), `alice\tsecret\r`)).toEqual([
			'text:alice',
			'tab',
			'text:secret',
			'return',
		]);
	});

	it('keeps a bracketed paste as text, line breaks included, even across reads', () => {
		const reader = new KeyReader();
		const keys = [
			...reader.read('\u001b[200~'),
			...reader.read('one\r'),
			...reader.read('\ntwo\tthree'),
			...reader.read('\u001b[201~'),
			...reader.read('\r'),
		];
		expect(keys.map((key) => [key.name, key.text, key.pasted ?? false])).toEqual([
			['text', 'one\n', true],
			['text', 'two    three', true],
			['return', '', false],
		]);
	});

	it('never presses a key for an escape sequence inside a paste, nor for unknown sequences', () => {
		expect(
			names(new KeyReader(), '\u001b[200~', '\u001b[A', '\u001b[201~', '\u001b[99;99X', '\u001b[I'),
		).toEqual([]);
	});
});
