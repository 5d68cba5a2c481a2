import { describe, expect, it } from 'vitest';
import { nextUnread, shouldRing, steppedConversation } from '../../../source/ui/state/selectors.js';
import { switcherItems } from '../../../source/ui/state/switcher-items.js';
import { apply, message, signedIn } from './fixtures.js';

describe('selectors', () => {
	it('steps round the conversation list', () => {
		const state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:josie' },
			{ type: 'conversation-opened', id: 'user:john' },
		);
		expect(state.order).toEqual(['group:chat', 'user:josie', 'user:john']);
		expect(steppedConversation(state, 1)).toBe('group:chat');
		expect(steppedConversation(state, -1)).toBe('user:josie');
	});

	it('finds the next conversation with unread messages after the open one', () => {
		let state = apply(signedIn(), { type: 'conversation-opened', id: 'group:chat' });
		expect(nextUnread(state)).toBeUndefined();
		state = apply(state, {
			type: 'message-received',
			message: message({ from: 'john', to: 'adrian' }),
		});
		expect(nextUnread(state)).toBe('user:john');
	});

	it('rings for direct messages and mentions elsewhere, not for the open one or when off', () => {
		const state = apply(signedIn(), { type: 'conversation-opened', id: 'user:john' });
		expect(shouldRing(state, message({ from: 'josie', to: 'adrian' }))).toBe(true);
		expect(shouldRing(state, message({ from: 'john', to: 'adrian' }))).toBe(false);
		expect(
			shouldRing(state, message({ from: 'josie', to: 'chat', group: 'chat', body: 'lunch?' })),
		).toBe(false);
		expect(
			shouldRing(
				state,
				message({ from: 'josie', to: 'chat', group: 'chat', body: '@adrian lunch?' }),
			),
		).toBe(true);
		expect(
			shouldRing(
				apply(state, { type: 'bell-set', on: false }),
				message({ from: 'josie', to: 'adrian' }),
			),
		).toBe(false);
	});

	it('ranks the quick switcher by fuzzy match, or by unread and the conversation list', () => {
		const state = apply(signedIn(), {
			type: 'message-received',
			message: message({ from: 'john', to: 'adrian' }),
		});
		expect(
			switcherItems(state, '')
				.map((item) => item.id)
				.slice(0, 2),
		).toEqual(['user:john', 'group:chat']);
		expect(switcherItems(state, 'jsi').map((item) => item.name)).toEqual(['josie']);
		expect(switcherItems(state, 'ch').map((item) => item.name)[0]).toBe('chat');
	});
});
