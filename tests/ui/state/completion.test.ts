import { describe, expect, it } from 'vitest';
import { currentDraft, type ChatState } from '../../../source/ui/state/chat-state.js';
import { apply, signedIn } from './fixtures.js';

/** Types `text` into the open conversation's draft, then presses Tab `tabs` times. */
function tab(state: ChatState, text: string, tabs = 1): ChatState {
	let next = apply(state, { type: 'draft-edited', edit: { type: 'replace', text } });
	for (let index = 0; index < tabs; index += 1) next = apply(next, { type: 'input-tabbed' });
	return next;
}

const withGroup = () =>
	apply(
		signedIn(),
		{ type: 'user-registered', user: 'joan', displayName: 'joan' },
		{
			type: 'members-listed',
			group: 'chat',
			members: [
				{ name: 'adrian', displayName: 'adrian', online: true, role: 'owner' },
				{ name: 'josie', displayName: 'Josie', online: true, role: 'user' },
			],
		},
		{ type: 'conversation-opened', id: 'group:chat' },
	);

describe('Tab completion', () => {
	it('completes a name at the start of a line, as a nick completion: "josie: "', () => {
		const state = tab(withGroup(), 'jos');
		expect(currentDraft(state)).toEqual({ text: 'josie: ', cursor: 7 });
		expect(state.focus).toBe('input');
	});

	it('completes after @ anywhere, members of the open group first, and cycles on repeated Tab', () => {
		const text = (state: ChatState) => currentDraft(state).text;
		expect(text(tab(withGroup(), 'hi @j'))).toBe('hi @josie ');
		expect(text(tab(withGroup(), 'hi @j', 2))).toBe('hi @joan ');
		expect(text(tab(withGroup(), 'hi @j', 3))).toBe('hi @john ');
		expect(text(tab(withGroup(), 'hi @j', 4))).toBe('hi @josie ');
	});

	it('completes the arguments of /dm, /group, /invite and /kick, and command names', () => {
		const text = (state: ChatState) => currentDraft(state).text;
		expect(text(tab(withGroup(), '/dm jo'))).toBe('/dm josie ');
		expect(text(tab(withGroup(), '/group c'))).toBe('/group chat ');
		// josie is a member already: /invite offers the others.
		expect(text(tab(withGroup(), '/invite jo'))).toBe('/invite joan ');
		expect(text(tab(withGroup(), '/kick '))).toBe('/kick josie ');
		expect(text(tab(withGroup(), '/inv'))).toBe('/invite ');
	});

	it('replaces the word under the cursor and keeps what follows', () => {
		let state = apply(withGroup(), {
			type: 'draft-edited',
			edit: { type: 'replace', text: 'hi @jo there' },
		});
		for (let step = 0; step < 6; step += 1)
			state = apply(state, { type: 'draft-edited', edit: { type: 'cursor-left' } });
		state = apply(state, { type: 'input-tabbed' });
		expect(currentDraft(state)).toEqual({ text: 'hi @josie there', cursor: 10 });
	});

	it('moves the focus only where there is nothing to complete', () => {
		expect(tab(withGroup(), '').focus).toBe('users');
		expect(tab(withGroup(), 'hello ').focus).toBe('users');
		// A word with no match: nothing happens, the focus stays.
		const none = tab(withGroup(), 'hi @zz');
		expect(none.focus).toBe('input');
		expect(currentDraft(none).text).toBe('hi @zz');
	});
});
