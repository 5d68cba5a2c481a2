import { describe, expect, it } from 'vitest';
import { messageWindow } from '../../../source/ui/layout/message-layout.js';
import type { ChatState } from '../../../source/ui/state/chat-state.js';
import { groupEventText, pendingItem } from '../../../source/ui/state/timeline.js';
import { apply, message, signedIn } from './fixtures.js';

const bodies = (state: ChatState, id: 'group:chat' | 'user:josie') =>
	(state.conversations[id]?.messages ?? []).map((item) => `${item.note ?? 'message'}:${item.body}`);

describe('timeline notes', () => {
	it('words group events from the reader’s side', () => {
		const me = 'adrian';
		expect(
			groupEventText({ group: 'g', event: 'role', user: 'carol', by: 'alice', role: 'admin' }, me),
		).toBe('alice made carol an admin');
		expect(groupEventText({ group: 'g', event: 'removed', user: 'carol', by: 'carol' }, me)).toBe(
			'carol left',
		);
		expect(groupEventText({ group: 'g', event: 'removed', user: 'adrian', by: 'alice' }, me)).toBe(
			'alice removed you',
		);
		expect(
			groupEventText({ group: 'g', event: 'added', user: 'bo', by: 'adrian', role: 'user' }, me),
		).toBe('you added bo');
		expect(groupEventText({ group: 'g', event: 'deleted', by: 'alice' }, me)).toBe(
			'alice deleted #g',
		);
	});

	it('puts a group event after the message it followed, and keeps it there as messages come', () => {
		const first = message({ from: 'josie', to: 'chat', group: 'chat', body: 'before' });
		let state = apply(
			signedIn(),
			{ type: 'message-received', message: first },
			{
				type: 'group-changed',
				event: { group: 'chat', event: 'added', user: 'john', by: 'josie' },
			},
		);
		const later = message({ from: 'john', to: 'chat', group: 'chat', body: 'after' });
		state = apply(state, { type: 'message-received', message: later });
		expect(bodies(state, 'group:chat')).toEqual([
			'message:before',
			'event:josie added john',
			'message:after',
		]);
	});

	it('ends a group removed from under you: it says so, and the group leaves the lists', () => {
		const state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'group:chat' },
			{
				type: 'group-changed',
				event: { group: 'chat', event: 'removed', user: 'adrian', by: 'josie' },
			},
		);
		expect(state.conversations['group:chat']?.ended).toBe('josie removed you from #chat');
		expect(state.groups).toEqual([]);
		expect(state.open).toBe('group:chat');
	});

	it('writes a lost connection in the open conversation once, and its return', () => {
		const offline = { state: 'offline', error: 'Connection problem: gone' } as const;
		const state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:josie' },
			{ type: 'connection-changed', connection: { state: 'online' } },
			{ type: 'connection-changed', connection: offline },
			{ type: 'connection-changed', connection: { state: 'connecting' } },
			{ type: 'connection-changed', connection: offline },
			{ type: 'connection-changed', connection: { state: 'online' } },
		);
		const notes = bodies(state, 'user:josie');
		expect(notes).toHaveLength(2);
		expect(notes[0]).toMatch(/^event:Connection problem: gone\. What you send waits/);
		expect(notes[1]).toBe('event:Connected again.');
	});
});

describe('the outbox in the timeline', () => {
	it('shows a queued message as pending after everything, then as the message it became', () => {
		const fields = {
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'later',
			date: '2026-11-25T12:00:00.000Z',
		};
		const item = pendingItem(fields, 'token1', []);
		let state = apply(signedIn(), { type: 'message-queued', id: 'user:josie', item });
		const pushed = message({ from: 'josie', to: 'adrian', body: 'meanwhile' });
		state = apply(state, { type: 'message-received', message: pushed });
		expect(bodies(state, 'user:josie')).toEqual(['message:meanwhile', 'pending:later']);
		expect(state.outbox).toHaveLength(1);
		state = apply(state, {
			type: 'message-sent',
			message: { ...fields, id: pushed.id + 1 },
			sendId: 'token1',
		});
		expect(bodies(state, 'user:josie')).toEqual(['message:meanwhile', 'message:later']);
		expect(state.outbox).toEqual([]);
	});

	it('drops a refused message’s pending line', () => {
		const fields = {
			from: 'adrian',
			to: 'josie',
			group: null,
			body: 'x',
			date: '2026-11-25T12:00:00.000Z',
		};
		const state = apply(
			signedIn(),
			{ type: 'message-queued', id: 'user:josie', item: pendingItem(fields, 't', []) },
			{ type: 'message-failed', sendId: 't' },
		);
		expect(bodies(state, 'user:josie')).toEqual([]);
		expect(state.outbox).toEqual([]);
	});
});

describe('the read marker', () => {
	it('marks the first unseen message, scrolls it to the top, and goes when you leave', () => {
		const seen = message({ from: 'josie', to: 'adrian', body: 'seen' });
		let state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:josie' },
			{ type: 'message-received', message: seen },
			{ type: 'conversation-opened', id: 'group:chat' },
		);
		const unseen = Array.from({ length: 40 }, (_, index) =>
			message({ from: 'josie', to: 'adrian', body: `new ${index}` }),
		);
		state = apply(
			state,
			...unseen.map((item) => ({ type: 'message-received' as const, message: item })),
		);
		expect(state.conversations['user:josie']?.unread).toBe(40);
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		const josie = state.conversations['user:josie']!;
		expect(josie.marker).toBe(unseen[0]!.id);
		expect(josie.scroll).toEqual({ topId: unseen[0]!.id });
		const window = messageWindow(josie.messages, josie.scroll, {
			width: 60,
			height: 6,
			me: 'adrian',
			marker: josie.marker,
		});
		expect(window.rows[0]!.key).toBe('marker');
		expect(window.rows.map((row) => row.parts.at(-1)!.text)).toContain('new 0');
		expect(window.newer).toBeGreaterThan(30);
		state = apply(state, { type: 'conversation-opened', id: 'group:chat' });
		expect(state.conversations['user:josie']?.marker).toBeUndefined();
		expect(state.conversations['user:josie']?.scroll).toBeUndefined();
	});
});
