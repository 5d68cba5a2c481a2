import { describe, expect, it } from 'vitest';
import { canDelete, canEdit, selectedMessage } from '../../../source/ui/state/message-selection.js';
import { currentDraft, type ChatState } from '../../../source/ui/state/chat-state.js';
import { apply, message, signedIn } from './fixtures.js';

const view = { width: 60, height: 4 };

/** adrian in #chat with three messages (josie, adrian, josie), the conversation open. */
function inChat(): ChatState {
	const messages = [
		message({ from: 'josie', to: 'chat', group: 'chat', body: 'first from josie' }),
		message({ from: 'adrian', to: 'chat', group: 'chat', body: 'mine' }),
		message({ from: 'josie', to: 'chat', group: 'chat', body: 'newest from josie' }),
	];
	return apply(
		signedIn(),
		{ type: 'conversation-opened', id: 'group:chat' },
		{ type: 'history-loaded', id: 'group:chat', messages, complete: true },
	);
}

const ids = (state: ChatState) => state.conversations['group:chat']!.messages.map((m) => m.id);

describe('selection mode', () => {
	it('starts on the newest message from an empty input only, moves, and leaves past the newest', () => {
		const state = inChat();
		const [first, second, third] = ids(state);
		const typed = apply(state, { type: 'draft-edited', edit: { type: 'insert', text: 'x' } });
		expect(apply(typed, { type: 'message-selection-started' }).selection).toBeUndefined();
		let next = apply(state, { type: 'message-selection-started' });
		expect(next.selection).toEqual({ conversation: 'group:chat', id: third });
		next = apply(next, { type: 'message-selection-moved', step: -1, view });
		expect(selectedMessage(next)?.id).toBe(second);
		next = apply(next, { type: 'message-selection-moved', step: -1, view });
		next = apply(next, { type: 'message-selection-moved', step: -1, view });
		expect(selectedMessage(next)?.id).toBe(first);
		next = apply(
			next,
			{ type: 'message-selection-moved', step: 1, view },
			{ type: 'message-selection-moved', step: 1, view },
		);
		expect(next.selection?.id).toBe(third);
		next = apply(next, { type: 'message-selection-moved', step: 1, view });
		expect(next.selection).toBeUndefined();
	});

	it('scrolls an older selected message into a short view', () => {
		let state = apply(inChat(), { type: 'message-selection-started' });
		for (let step = 0; step < 2; step += 1)
			state = apply(state, {
				type: 'message-selection-moved',
				step: -1,
				view: { width: 60, height: 2 },
			});
		expect(state.conversations['group:chat']!.scroll).toEqual({ topId: ids(state)[0] });
	});

	it('skips deleted messages and nothing is selected in an empty conversation', () => {
		let state = inChat();
		const [, , third] = ids(state);
		state = apply(state, {
			type: 'message-deleted',
			event: { id: third!, from: 'josie', to: 'chat', group: 'chat' },
		});
		expect(apply(state, { type: 'message-selection-started' }).selection?.id).toBe(ids(state)[1]);
		const empty = apply(signedIn(), { type: 'conversation-opened', id: 'user:josie' });
		expect(apply(empty, { type: 'message-selection-started' }).selection).toBeUndefined();
	});

	it('offers edit for your own messages and delete to the sender or a group owner/admin', () => {
		const state = inChat();
		const [first, second] = state.conversations['group:chat']!.messages;
		expect(canEdit(state, second!)).toBe(true);
		expect(canEdit(state, first!)).toBe(false);
		expect(canDelete(state, first!)).toBe(true); // adrian owns #chat
		const asUser = {
			...state,
			groups: state.groups.map((group) => ({ ...group, role: 'user' as const })),
		};
		expect(canDelete(asUser, first!)).toBe(false);
		expect(canDelete(asUser, second!)).toBe(true);
		const direct = message({ from: 'josie', to: 'adrian' });
		expect(canDelete(state, direct)).toBe(false);
	});
});

describe('replies and edits in the input', () => {
	it('a reply quotes the selected message and ends without touching the draft', () => {
		let state = apply(inChat(), { type: 'message-selection-started' });
		state = apply(state, { type: 'compose-started', mode: 'reply' });
		expect(state.selection).toBeUndefined();
		expect(state.compose).toMatchObject({ mode: 'reply', message: { body: 'newest from josie' } });
		state = apply(state, { type: 'compose-ended' });
		expect(state.compose).toBeUndefined();
	});

	it('an edit brings the text into the input and Esc gives back what was typed before', () => {
		let state = apply(inChat(), { type: 'message-selection-started' });
		state = apply(state, { type: 'message-selection-moved', step: -1, view });
		// Typed text before: selection starts only from an empty input, so type after choosing.
		state = { ...state, drafts: { 'group:chat': { text: '', cursor: 0 } } };
		state = apply(state, { type: 'compose-started', mode: 'edit' });
		expect(currentDraft(state).text).toBe('mine');
		state = apply(state, { type: 'draft-edited', edit: { type: 'insert', text: ' (fixed)' } });
		expect(currentDraft(state).text).toBe('mine (fixed)');
		state = apply(state, { type: 'compose-ended' });
		expect(currentDraft(state).text).toBe('');
		expect(state.compose).toBeUndefined();
	});

	it('refuses to edit someone else’s message', () => {
		const state = apply(inChat(), { type: 'message-selection-started' });
		expect(apply(state, { type: 'compose-started', mode: 'edit' }).compose).toBeUndefined();
	});

	it('switching conversations ends an edit (restoring the draft) and the selection', () => {
		let state = apply(inChat(), { type: 'message-selection-started' });
		state = apply(state, { type: 'message-selection-moved', step: -1, view });
		state = apply(state, { type: 'compose-started', mode: 'edit' });
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		expect(state.compose).toBeUndefined();
		expect(state.drafts['group:chat']?.text).toBe('');
		state = apply(state, { type: 'conversation-opened', id: 'group:chat' });
		expect(state.selection).toBeUndefined();
	});
});
