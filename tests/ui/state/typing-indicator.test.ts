import { describe, expect, it } from 'vitest';
import {
	nextTypingExpiry,
	typingText,
	typingUsers,
} from '../../../source/ui/state/typing-indicator.js';
import { apply, message, signedIn } from './fixtures.js';

describe('typing indicator', () => {
	it('words one, two or more people', () => {
		expect(typingText([])).toBeUndefined();
		expect(typingText(['josie'])).toBe('josie is typing…');
		expect(typingText(['john', 'josie'])).toBe('john and josie are typing…');
		expect(typingText(['a', 'b', 'c'])).toBe('several people are typing…');
	});

	it('files a push under its conversation, and ends at its time or with that user’s message', () => {
		let state = apply(
			signedIn(),
			{ type: 'typing-started', event: { user: 'josie', to: 'adrian', group: null }, until: 1000 },
			{ type: 'typing-started', event: { user: 'josie', to: 'chat', group: 'chat' }, until: 2000 },
			{ type: 'typing-started', event: { user: 'john', to: 'chat', group: 'chat' }, until: 3000 },
			// Your own typing (another device) is never shown.
			{ type: 'typing-started', event: { user: 'adrian', to: 'chat', group: 'chat' }, until: 3000 },
		);
		expect(typingUsers(state, 'user:josie')).toEqual(['josie']);
		expect(typingUsers(state, 'group:chat')).toEqual(['john', 'josie']);
		expect(nextTypingExpiry(state)).toBe(1000);
		state = apply(state, { type: 'typing-expired', now: 1000 });
		expect(typingUsers(state, 'user:josie')).toEqual([]);
		state = apply(state, {
			type: 'message-received',
			message: message({ from: 'john', to: 'chat', group: 'chat' }),
		});
		expect(typingUsers(state, 'group:chat')).toEqual(['josie']);
		state = apply(state, { type: 'typing-expired', now: 2500 });
		expect(state.typing).toEqual({});
		expect(nextTypingExpiry(state)).toBeUndefined();
	});
});
