import { describe, expect, it } from 'vitest';
import { activityKey, terminalTitle, totalUnread } from '../../../source/ui/state/activity.js';
import { usersInPaneOrder } from '../../../source/ui/state/people-order.js';
import { titleSequence } from '../../../source/ui/hooks/use-terminal-title.js';
import { apply, message, signedIn } from './fixtures.js';

describe('the activity list', () => {
	it('lists conversations with unread messages by number, mentions and direct messages apart', () => {
		const state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:john' },
			{ type: 'message-received', message: message({ from: 'josie', to: 'adrian' }) },
			{
				type: 'message-received',
				message: message({ from: 'josie', to: 'chat', group: 'chat', body: 'hi all' }),
			},
		);
		// chat is 1, john 2 (open), josie 3.
		expect(activityKey(state)).toBe('1:message 3:direct');
		const mentioned = apply(state, {
			type: 'message-received',
			message: message({ from: 'josie', to: 'chat', group: 'chat', body: 'hey @adrian' }),
		});
		expect(activityKey(mentioned)).toBe('1:mention 3:direct');
		expect(totalUnread(mentioned)).toBe(3);
	});

	it('titles the terminal with the count, in our words only', () => {
		expect(terminalTitle('adrian', 3)).toBe('(3) KoriChat — adrian');
		expect(terminalTitle('adrian', 0)).toBe('KoriChat — adrian');
		expect(terminalTitle('\u001b]0;evil', 1)).toBe('(1) KoriChat');
		expect(titleSequence('a\u0007b\u001bc')).toBe('\u001b]2;abc\u0007');
	});
});

describe('the Users pane order', () => {
	it('puts the people you talk with first, the most recent on top, then the others', () => {
		const state = apply(
			signedIn(),
			{ type: 'message-received', message: message({ from: 'john', to: 'adrian' }) },
			{ type: 'message-received', message: message({ from: 'josie', to: 'adrian' }) },
		);
		expect(usersInPaneOrder(state).map((user) => user.name)).toEqual(['josie', 'john', 'adrian']);
		expect(usersInPaneOrder(state)).toBe(usersInPaneOrder(state));
		expect(usersInPaneOrder(signedIn()).map((user) => user.name)).toEqual([
			'adrian',
			'john',
			'josie',
		]);
	});
});
