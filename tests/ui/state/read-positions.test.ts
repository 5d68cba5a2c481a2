import { describe, expect, it } from 'vitest';
import { readMarkerPosition } from '../../../source/ui/state/read-marker.js';
import { apply, message, signedIn } from './fixtures.js';

describe('unread counts and read positions from the server', () => {
	it('takes the counts UNREAD gives, adds direct conversations to the list, zero for the open one', () => {
		let state = apply(signedIn(), { type: 'conversation-opened', id: 'group:chat' });
		state = apply(state, {
			type: 'unread-listed',
			conversations: [
				{ to: 'josie', group: null, lastRead: 4, lastId: 9, unread: 3 },
				{ to: 'chat', group: 'chat', lastRead: 2, lastId: 8, unread: 5 },
			],
		});
		expect(state.conversations['user:josie']).toMatchObject({ unread: 3, lastRead: 4 });
		expect(state.conversations['group:chat']).toMatchObject({ unread: 0, lastRead: 2 });
		expect(state.order).toEqual(['group:chat', 'user:josie']);
	});

	it('a read push from another device clears what is read, and only that', () => {
		const first = message({ from: 'josie', to: 'adrian', body: 'one' });
		const second = message({ from: 'josie', to: 'adrian', body: 'two' });
		let state = apply(
			signedIn(),
			{ type: 'message-received', message: first },
			{ type: 'message-received', message: second },
		);
		expect(state.conversations['user:josie']?.unread).toBe(2);
		state = apply(state, { type: 'read-moved', event: { to: 'josie', group: null, id: first.id } });
		expect(state.conversations['user:josie']).toMatchObject({ unread: 1, lastRead: first.id });
		state = apply(state, {
			type: 'read-moved',
			event: { to: 'josie', group: null, id: second.id },
		});
		expect(state.conversations['user:josie']).toMatchObject({ unread: 0, mentioned: false });
		// A position never goes back.
		state = apply(state, { type: 'read-moved', event: { to: 'josie', group: null, id: 1 } });
		expect(state.conversations['user:josie']?.lastRead).toBe(second.id);
	});

	it('puts the "new messages" line after the server’s read position, skipping your own', () => {
		const read = message({ from: 'josie', to: 'adrian' });
		const mine = message({ from: 'adrian', to: 'josie' });
		const unseen = message({ from: 'josie', to: 'adrian' });
		let state = apply(signedIn(), {
			type: 'history-loaded',
			id: 'user:josie',
			messages: [read, mine, unseen],
			complete: true,
		});
		state = apply(state, {
			type: 'unread-listed',
			conversations: [
				{ to: 'josie', group: null, lastRead: read.id, lastId: unseen.id, unread: 1 },
			],
		});
		expect(readMarkerPosition(state.conversations['user:josie']!, 'adrian')).toBe(unseen.id);
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		expect(state.conversations['user:josie']).toMatchObject({ marker: unseen.id, unread: 0 });
	});

	it('before history loads, the line goes right after the read position', () => {
		let state = apply(signedIn(), {
			type: 'unread-listed',
			conversations: [{ to: 'josie', group: null, lastRead: 40, lastId: 45, unread: 5 }],
		});
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		expect(state.conversations['user:josie']).toMatchObject({ marker: 41, scroll: { topId: 41 } });
	});
});
