import { describe, expect, it } from 'vitest';
import { parseSlashCommand } from '../../../source/ui/actions/slash-commands.js';
import { passwordProblem } from '../../../source/ui/state/password-change.js';
import { highlightMatches } from '../../../source/ui/text/search-highlight.js';
import { apply, message, signedIn } from './fixtures.js';

describe('search', () => {
	it('reads /search with and without a conversation, and refuses a search without words', () => {
		expect(parseSlashCommand('/search lunch plans')).toEqual({
			name: 'search',
			words: 'lunch plans',
			in: undefined,
		});
		expect(parseSlashCommand('/search #Chat lunch')).toMatchObject({ in: 'chat', words: 'lunch' });
		expect(parseSlashCommand('/search @josie lun*')).toMatchObject({ in: 'josie', words: 'lun*' });
		expect(parseSlashCommand('/search -in josie lunch')).toMatchObject({ in: 'josie' });
		expect(parseSlashCommand('/search')).toMatchObject({ name: 'error' });
		expect(parseSlashCommand('/search #chat')).toMatchObject({ name: 'error' });
		expect(parseSlashCommand('/search -in')).toMatchObject({ name: 'error' });
		expect(parseSlashCommand('/search ?!')).toMatchObject({ name: 'error' });
	});

	it('highlights whole words, case-insensitively, and prefixes with *', () => {
		const marked = (text: string, query: string) =>
			highlightMatches(text, query)
				.filter((part) => part.match)
				.map((part) => part.text);
		expect(marked('Lunch at noon? lunchbox', 'lunch')).toEqual(['Lunch']);
		expect(marked('Lunch at noon? lunchbox', 'lunch*')).toEqual(['Lunch', 'lunchbox']);
		expect(marked('Café au lait', 'café LAIT')).toEqual(['Café', 'lait']);
		expect(highlightMatches('nothing here', 'lunch')).toEqual([
			{ text: 'nothing here', match: false },
		]);
	});

	it('drops the answer to an older search', () => {
		let state = apply(signedIn(), { type: 'search-opened', words: 'lunch', in: undefined });
		const first = state.overlay?.kind === 'search' ? state.overlay.serial : -1;
		state = apply(state, { type: 'search-requested', words: 'dinner' });
		const found = [message({ from: 'josie', to: 'adrian', body: 'dinner?' })];
		state = apply(state, { type: 'search-loaded', serial: first, results: [] });
		expect(state.overlay).toMatchObject({ status: 'loading', words: 'dinner' });
		state = apply(state, { type: 'search-loaded', serial: first + 1, results: found });
		expect(state.overlay).toMatchObject({ status: 'done', results: found });
		state = apply(state, { type: 'search-failed', serial: first + 1, error: 'x' });
		expect(state.overlay).toMatchObject({ status: 'failed', error: 'x', results: [] });
	});
});

describe('password change checks', () => {
	it('says what is wrong, and where', () => {
		expect(passwordProblem('', 'long enough', 'long enough')?.field).toBe(0);
		expect(passwordProblem('old secret', 'short', 'short')).toMatchObject({ field: 1 });
		expect(passwordProblem('old secret', 'x'.repeat(257), 'x'.repeat(257))).toMatchObject({
			field: 1,
		});
		expect(passwordProblem('old secret', 'new secret', 'new secrat')).toEqual({
			text: 'The new passwords do not match',
			field: 2,
		});
		expect(passwordProblem('old secret', 'new secret', 'new secret')).toBeUndefined();
	});
});
