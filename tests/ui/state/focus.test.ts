import { describe, expect, it } from 'vitest';
import { currentDraft } from '../../../source/ui/state/chat-state.js';
import { apply, signedIn } from './fixtures.js';

describe('chatReducer: focus', () => {
	it('sends text typed in a pane to the input, which takes the focus', () => {
		const state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'group:chat' },
			{ type: 'focus-moved', focus: 'groups' },
			{ type: 'typed-in-pane', text: 'hello ' },
			{ type: 'focus-moved', focus: 'users' },
			{ type: 'typed-in-pane', text: 'everyone' },
		);
		expect(state.focus).toBe('input');
		expect(currentDraft(state)).toEqual({ text: 'hello everyone', cursor: 14 });
		expect(state.overlay).toBeUndefined();
	});

	it('gives the focus back to the input when any dialog closes', () => {
		for (const overlay of [
			{ kind: 'help' },
			{ kind: 'create-group' },
			{ kind: 'add-members', group: 'chat' },
			{ kind: 'members', group: 'chat' },
			{ kind: 'confirm', action: 'leave', group: 'chat' },
		] as const) {
			const state = apply(
				signedIn(),
				{ type: 'focus-moved', focus: 'groups' },
				{ type: 'overlay-opened', overlay },
				{ type: 'overlay-closed' },
			);
			expect(state.focus, overlay.kind).toBe('input');
		}
	});
});
