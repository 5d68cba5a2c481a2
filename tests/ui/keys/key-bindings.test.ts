import { describe, expect, it } from 'vitest';
import { helpLines } from '../../../source/ui/keys/help-text.js';
import { keyBindings, scopes, type Scope } from '../../../source/ui/keys/key-bindings.js';
import {
	commandFor,
	jumpIndex,
	keyLabel,
	matchesKey,
	parseKeySpec,
} from '../../../source/ui/keys/match-key.js';
import { parseKey } from '../../../source/ui/keys/parse-key.js';

describe('key bindings as data', () => {
	it('never binds one key twice in a scope', () => {
		for (const scope of Object.keys(scopes) as Scope[]) {
			const seen = new Map<string, string>();
			for (const binding of keyBindings.filter((entry) => entry.scope === scope)) {
				for (const spec of binding.keys) {
					expect(seen.get(spec), `${spec} in ${scope}`).toBeUndefined();
					seen.set(spec, binding.command);
				}
			}
		}
	});

	it('resolves keys in scope order, the first scope winning', () => {
		expect(commandFor(parseKey('\r'), ['input'])).toBe('submit');
		expect(commandFor(parseKey('\r'), ['pane'])).toBe('open');
		expect(commandFor(parseKey('\u001b[A'), ['pane'])).toBe('select-previous');
		expect(commandFor(parseKey('\u001b[B'), ['groups', 'pane'])).toBe('select-next');
		expect(commandFor(parseKey('\u001bn'), ['groups', 'pane'])).toBe('group-create');
		expect(commandFor(parseKey('\u001bl'), ['groups', 'pane'])).toBe('group-leave');
		expect(commandFor(parseKey('\u001bn'), ['pane'])).toBeUndefined();
		expect(commandFor(parseKey('\u000b'), ['global', 'main'])).toBe('switcher');
		expect(commandFor(parseKey('\u0003'), ['global'])).toBe('quit');
		expect(commandFor(parseKey('\u001bOP'), ['global', 'main'])).toBe('help');
		expect(commandFor(parseKey('\u001b\r'), ['input', 'text'])).toBe('newline');
		expect(commandFor(parseKey('\u001ba'), ['main'])).toBe('conversation-unread');
		expect(commandFor(parseKey('\u001b[Z'), ['main'])).toBe('focus-previous');
		expect(commandFor(parseKey('\t'), ['main'])).toBe('focus-next');
	});

	it('keeps plain letters for typing: j, k and ? do nothing in the input', () => {
		for (const letter of ['j', 'k', '?', 'n', 'a', 'd']) {
			expect(commandFor(parseKey(letter), ['global', 'main', 'input', 'text'])).toBeUndefined();
		}
	});

	it('binds no printable key in the panes and dialogs that change something: words type text', () => {
		const sentence = 'hello everyone, /invite carol:user dave? yes! LEAVE n a m l d x p y j k';
		for (const key of [...sentence].map((character) => parseKey(character))) {
			for (const scopeList of [
				['groups', 'pane'],
				['dialog', 'list', 'members'],
				['confirm'],
			] as Scope[][]) {
				expect(commandFor(key, scopeList), `${key.name} in ${scopeList.join()}`).toBeUndefined();
			}
		}
	});

	it('tells Alt+1 from 1 and finds the conversation number', () => {
		expect(commandFor(parseKey('1'), ['main'])).toBeUndefined();
		const alt3 = parseKey('\u001b3');
		expect(commandFor(alt3, ['main'])).toBe('conversation-jump');
		expect(jumpIndex(alt3)).toBe(2);
	});

	it('matches modifiers exactly', () => {
		expect(matchesKey('tab', parseKey('\u001b[Z'))).toBe(false);
		expect(matchesKey('shift+tab', parseKey('\u001b[Z'))).toBe(true);
		expect(matchesKey('ctrl+n', parseKey('n'))).toBe(false);
		expect(parseKeySpec('alt+return')).toEqual({
			name: 'return',
			ctrl: false,
			meta: true,
			shift: false,
		});
	});

	it('writes keys as people do', () => {
		expect(keyLabel('ctrl+k')).toBe('Ctrl+K');
		expect(keyLabel('alt+return')).toBe('Alt+Enter');
		expect(keyLabel('shift+tab')).toBe('Shift+Tab');
		expect(keyLabel('pageup')).toBe('PgUp');
		expect(keyLabel('f1')).toBe('F1');
		expect(keyLabel('j')).toBe('j');
	});

	it('lists every binding and slash command in the help', () => {
		const lines = helpLines();
		const entries = lines.filter((line) => line.kind === 'entry');
		const texts = entries.map((line) => line.text);
		for (const binding of keyBindings.filter((entry) => 'help' in entry)) {
			expect(texts).toContain(binding.help);
		}
		expect(entries.map((line) => line.keys)).toEqual(
			expect.arrayContaining(['Ctrl+K', 'Alt+1…9', '/invite <user>[:admin|:user] …']),
		); // Every scope has its section (the list bindings share texts with the panes' and were missed).
		const headings = lines.filter((line) => line.kind === 'heading').map((line) => line.text);
		expect(headings).toEqual(expect.arrayContaining(Object.values(scopes)));
	});

	it('shows the keys of selection mode, search, replies and /passwd in the help', () => {
		const entries = helpLines().filter((line) => line.kind === 'entry');
		const keysShown = entries.map((line) => line.keys);
		expect(keysShown).toEqual(
			expect.arrayContaining(['Ctrl+F', 'r Enter', 'e', 'd', 'Alt+↑ Ctrl+↑', '/passwd']),
		);
		expect(keysShown.some((keys) => keys.startsWith('/search'))).toBe(true);
		// The letters act only while a message is selected: in the input they are typed.
		for (const letter of ['r', 'e', 'd'])
			expect(commandFor(parseKey(letter), ['selection'])).toBeDefined();
		expect(commandFor(parseKey('\u001b[A'), ['input'])).toBe('select-messages');
		expect(commandFor(parseKey('\u0006'), ['global', 'main'])).toBe('search');
	});
});
