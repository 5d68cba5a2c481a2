import { describe, expect, it } from 'vitest';
import { apply, message, signedIn } from './fixtures.js';

describe('edits and deletes', () => {
	it('updates a loaded message in place, and a delete leaves a tombstone', () => {
		const original = message({ from: 'josie', to: 'adrian', body: 'helo' });
		let state = apply(signedIn(), { type: 'message-received', message: original });
		state = apply(state, {
			type: 'message-edited',
			event: { ...original, body: 'hello', edited: '2026-11-25T12:00:00.000Z' },
		});
		expect(state.conversations['user:josie']?.messages).toEqual([
			{ ...original, body: 'hello', edited: '2026-11-25T12:00:00.000Z' },
		]);
		state = apply(state, { type: 'message-deleted', event: original });
		expect(state.conversations['user:josie']?.messages[0]).toMatchObject({
			id: original.id,
			body: '',
			deleted: true,
		});
		// An edit arriving late does not bring a deleted message back.
		state = apply(state, {
			type: 'message-edited',
			event: { ...original, body: 'back?', edited: '2026-11-25T12:01:00.000Z' },
		});
		expect(state.conversations['user:josie']?.messages[0]).toMatchObject({
			body: '',
			deleted: true,
		});
	});

	it('changes nothing for a message that is not loaded', () => {
		const state = signedIn();
		const event = { id: 99, from: 'josie', to: 'adrian', group: null };
		expect(apply(state, { type: 'message-deleted', event }).conversations).toEqual({});
	});

	it('a delete ends an edit of that message, giving the draft back', () => {
		const mine = message({ from: 'adrian', to: 'chat', group: 'chat', body: 'mine' });
		let state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'group:chat' },
			{ type: 'message-received', message: mine },
			{ type: 'message-selection-started' },
			{ type: 'compose-started', mode: 'edit' },
		);
		expect(state.drafts['group:chat']?.text).toBe('mine');
		state = apply(state, { type: 'message-deleted', event: mine });
		expect(state.compose).toBeUndefined();
		expect(state.drafts['group:chat']?.text).toBe('');
	});
});

describe('your own messages from elsewhere', () => {
	it('an own message pushed back before its SEND was answered replaces its pending line', () => {
		const pending = {
			id: 2 ** 52 + 1,
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'on its way',
			date: '2026-11-25T12:00:00.000Z',
			note: 'pending' as const,
			sendId: 's1',
		};
		let state = apply(signedIn(), { type: 'message-queued', id: 'user:josie', item: pending });
		const stored = message({ from: 'adrian', to: 'josie', body: 'on its way' });
		state = apply(state, { type: 'message-received', message: stored });
		expect(state.conversations['user:josie']?.messages).toEqual([stored]);
		expect(state.outbox).toEqual([]);
		// The answer to the retried SEND (same id) changes nothing more.
		state = apply(state, { type: 'message-sent', message: stored, sendId: 's1' });
		expect(state.conversations['user:josie']?.messages).toEqual([stored]);
		expect(state.conversations['user:josie']?.unread).toBe(0);
	});
});
