import { describe, expect, it } from 'vitest';
import { parseKey, splitInput } from '../../../source/ui/keys/parse-key.js';

const named = (sequence: string) => {
	const { name, ctrl, meta, shift } = parseKey(sequence);
	return { name, ctrl, meta, shift };
};

describe('parseKey', () => {
	it.each([
		['\r', 'return', {}],
		['\t', 'tab', {}],
		['\u001b[Z', 'tab', { shift: true }],
		['\u001b', 'escape', {}],
		['\u007f', 'backspace', {}],
		['\u001b[A', 'up', {}],
		['\u001bOB', 'down', {}],
		['\u001b[5~', 'pageup', {}],
		['\u001b[6~', 'pagedown', {}],
		['\u001b[3~', 'delete', {}],
		['\u001bOP', 'f1', {}],
		['\u001b[11~', 'f1', {}],
		['\u001b[[A', 'f1', {}],
		['\u001b[1;5F', 'end', { ctrl: true }],
		['\u001b[1;3D', 'left', { meta: true }],
		['\u001b\u001b[D', 'left', { meta: true }],
		['\u000b', 'k', { ctrl: true }],
		['\u000e', 'n', { ctrl: true }],
		['\u0003', 'c', { ctrl: true }],
		['\n', 'j', { ctrl: true }],
		['\u001b1', '1', { meta: true }],
		['\u001ba', 'a', { meta: true }],
		['\u001b\r', 'return', { meta: true }],
		['\u001b[13;3u', 'return', { meta: true }],
		['\u001b[27;3;13~', 'return', { meta: true }],
	])('reads %j as %s', (sequence, name, modifiers) => {
		expect(named(sequence)).toEqual({ name, ctrl: false, meta: false, shift: false, ...modifiers });
	});

	it('gives printable keys their text, and only those', () => {
		expect(parseKey('j')).toMatchObject({ name: 'j', text: 'j', shift: false });
		expect(parseKey('J')).toMatchObject({ name: 'J', text: 'J', shift: true });
		expect(parseKey('?')).toMatchObject({ name: '?', text: '?' });
		expect(parseKey(' ')).toMatchObject({ name: 'space', text: ' ' });
		expect(parseKey('héllo wörld')).toMatchObject({ name: 'text', text: 'héllo wörld' });
		expect(parseKey('\u001b[A').text).toBe('');
		expect(parseKey('\u001b1').text).toBe('');
		expect(parseKey('\r').text).toBe('');
	});

	it('never turns an unknown escape sequence into typed text', () => {
		const key = parseKey('\u001b[99;99X');
		expect(key.name).toBe('unknown');
		expect(key.text).toBe('');
	});

	it('reads bracketed-paste marks', () => {
		expect(parseKey('\u001b[200~').name).toBe('paste-start');
		expect(parseKey('\u001b[201~').name).toBe('paste-end');
	});
});

describe('splitInput', () => {
	it('splits typed bursts into text and control keys', () => {
		expect(splitInput('alice\tsecret\r')).toEqual(['alice', '\t', 'secret', '\r']);
		expect(splitInput('\t\t')).toEqual(['\t', '\t']);
		expect(splitInput('hello')).toEqual(['hello']);
	});

	it('keeps an escape sequence whole', () => {
		expect(splitInput('\u001b[A')).toEqual(['\u001b[A']);
		expect(splitInput('\u001b\r')).toEqual(['\u001b\r']);
	});
});
