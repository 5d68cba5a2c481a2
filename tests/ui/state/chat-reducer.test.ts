import { describe, expect, it } from 'vitest';
import { currentDraft, initialChatState } from '../../../source/ui/state/chat-state.js';
import { apply, message, signedIn } from './fixtures.js';

describe('chatReducer: people and groups', () => {
	it('sorts users and puts groups first in the conversation list', () => {
		const state = signedIn();
		expect(state.me).toBe('adrian');
		expect(state.users.map((user) => user.name)).toEqual(['adrian', 'john', 'josie']);
		expect(state.order).toEqual(['group:chat']);
		expect(state.focus).toBe('input');
	});

	it('follows presence and new users without a refresh', () => {
		const state = apply(
			signedIn(),
			{ type: 'presence-changed', user: 'john', online: true },
			{ type: 'user-registered', user: 'amy', displayName: 'Amy' },
			{ type: 'user-registered', user: 'amy', displayName: 'Amy' },
		);
		expect(state.users.find((user) => user.name === 'john')?.online).toBe(true);
		expect(state.users.map((user) => user.name)).toEqual(['adrian', 'amy', 'john', 'josie']);
	});

	it('applies group events to the member list and the group count', () => {
		let state = apply(signedIn(), {
			type: 'members-listed',
			group: 'chat',
			members: [{ name: 'adrian', displayName: 'adrian', online: true, role: 'owner' }],
		});
		state = apply(state, {
			type: 'group-changed',
			event: { group: 'chat', event: 'added', user: 'josie', by: 'adrian', role: 'admin' },
		});
		expect(state.members.chat?.map((member) => [member.name, member.role])).toEqual([
			['adrian', 'owner'],
			['josie', 'admin'],
		]);
		expect(state.groups[0]?.members).toBe(3);
		state = apply(state, {
			type: 'group-changed',
			event: { group: 'chat', event: 'removed', user: 'josie', by: 'adrian' },
		});
		expect(state.members.chat?.map((member) => member.name)).toEqual(['adrian']);
		expect(state.groups[0]?.members).toBe(2);
	});

	it('drops a group you were removed from, and says who did it', () => {
		const state = apply(signedIn(), {
			type: 'group-changed',
			event: { group: 'chat', event: 'removed', user: 'adrian', by: 'josie' },
		});
		expect(state.groups).toEqual([]);
		expect(state.order).toEqual([]);
		expect(state.notice).toMatchObject({ kind: 'info', text: 'josie removed you from chat' });
	});

	it('tells you when a group you are in is deleted by someone else', () => {
		const state = apply(signedIn(), {
			type: 'group-changed',
			event: { group: 'chat', event: 'deleted', by: 'josie' },
		});
		expect(state.groups).toEqual([]);
		expect(state.notice?.text).toBe('chat was deleted by josie');
	});

	it('adds a created group to the list and the conversation order', () => {
		const state = apply(signedIn(), {
			type: 'group-created',
			group: { name: 'ops', owner: 'adrian', role: 'owner', members: 1 },
		});
		expect(state.groups.map((group) => group.name)).toEqual(['chat', 'ops']);
		expect(state.order).toEqual(['group:chat', 'group:ops']);
	});
});

describe('chatReducer: messages', () => {
	it('files direct and group messages under the right conversation, without duplicates', () => {
		const direct = message({ from: 'josie', to: 'adrian' });
		const group = message({ from: 'josie', to: 'chat', group: 'chat' });
		const state = apply(
			signedIn(),
			{ type: 'message-received', message: direct },
			{ type: 'message-received', message: group },
			{ type: 'message-received', message: direct },
		);
		expect(state.conversations['user:josie']?.messages).toEqual([direct]);
		expect(state.conversations['group:chat']?.messages).toEqual([group]);
		expect(state.order).toEqual(['group:chat', 'user:josie']);
	});

	it('counts unread messages and mentions only where you are not looking', () => {
		let state = apply(signedIn(), { type: 'conversation-opened', id: 'group:chat' });
		state = apply(
			state,
			{
				type: 'message-received',
				message: message({ from: 'josie', to: 'chat', group: 'chat', body: 'hi @adrian' }),
			},
			{ type: 'message-received', message: message({ from: 'josie', to: 'adrian' }) },
			{
				type: 'message-received',
				message: message({ from: 'josie', to: 'adrian', body: 'ping @ADRIAN.' }),
			},
		);
		expect(state.conversations['group:chat']).toMatchObject({ unread: 0, mentioned: false });
		expect(state.conversations['user:josie']).toMatchObject({ unread: 2, mentioned: true });
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		expect(state.conversations['user:josie']).toMatchObject({ unread: 0, mentioned: false });
	});

	it('holds messages pushed while a login is answered, and files them once signed in', () => {
		const early = message({ from: 'josie', to: 'adrian' });
		let state = apply(initialChatState(), { type: 'message-received', message: early });
		expect(state.conversations).toEqual({});
		state = apply(state, { type: 'signed-in', user: 'adrian' });
		expect(state.conversations['user:josie']).toMatchObject({ unread: 1, messages: [early] });
		expect(state.early).toEqual([]);
	});

	it('keeps messages in id order when history arrives after live ones', () => {
		const live = message({ id: 50, from: 'josie', to: 'adrian' });
		const older = [
			message({ id: 10, from: 'adrian', to: 'josie' }),
			message({ id: 20, from: 'josie', to: 'adrian' }),
		];
		const state = apply(
			signedIn(),
			{ type: 'message-received', message: live },
			{ type: 'history-requested', id: 'user:josie' },
			{ type: 'history-loaded', id: 'user:josie', messages: [...older, live], complete: true },
		);
		expect(state.conversations['user:josie']?.messages.map((entry) => entry.id)).toEqual([
			10, 20, 50,
		]);
		expect(state.conversations['user:josie']?.history).toBe('complete');
		expect(state.conversations['user:josie']?.historyFrom).toBe(10);
	});

	it('brings the view back to the newest line when you send', () => {
		let state = apply(signedIn(), { type: 'conversation-opened', id: 'user:josie' });
		for (let index = 0; index < 30; index += 1) {
			state = apply(state, {
				type: 'message-received',
				message: message({ from: 'josie', to: 'adrian' }),
			});
		}
		state = apply(state, { type: 'message-view-scrolled', rows: 10, width: 60, height: 8 });
		expect(state.conversations['user:josie']?.scroll).toBeDefined();
		state = apply(state, {
			type: 'message-sent',
			message: message({ from: 'adrian', to: 'josie' }),
		});
		expect(state.conversations['user:josie']?.scroll).toBeUndefined();
	});
});

describe('chatReducer: focus, drafts and recall', () => {
	it('cycles focus Users → Groups → input', () => {
		const state = signedIn();
		const steps = [1, 1, 1, -1].map(
			(step, index, all) =>
				apply(
					state,
					...all
						.slice(0, index + 1)
						.map((value) => ({ type: 'focus-cycled' as const, step: value as 1 | -1 })),
				).focus,
		);
		expect(steps).toEqual(['users', 'groups', 'input', 'groups']);
	});

	it('keeps a draft per conversation', () => {
		let state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:josie' },
			{ type: 'draft-edited', edit: { type: 'insert', text: 'half a thought' } },
		);
		state = apply(state, { type: 'conversation-opened', id: 'group:chat' });
		expect(currentDraft(state).text).toBe('');
		state = apply(state, { type: 'conversation-opened', id: 'user:josie' });
		expect(currentDraft(state).text).toBe('half a thought');
	});

	it('carries what was typed into a conversation that a typed command opened', () => {
		const typing = apply(signedIn(), {
			type: 'draft-edited',
			edit: { type: 'insert', text: 'hello' },
		});
		const carried = apply(typing, {
			type: 'conversation-opened',
			id: 'group:chat',
			carryDraft: true,
		});
		expect(currentDraft(carried).text).toBe('hello');
		expect(carried.drafts['']?.text).toBe('');
		const navigated = apply(typing, { type: 'conversation-opened', id: 'group:chat' });
		expect(currentDraft(navigated).text).toBe('');
		expect(navigated.drafts['']?.text).toBe('hello');
	});

	it('recalls sent inputs with ↑/↓ but never overwrites what is being typed', () => {
		let state = apply(
			signedIn(),
			{ type: 'draft-sent', text: 'one' },
			{ type: 'draft-sent', text: 'two' },
		);
		state = apply(state, { type: 'input-recalled', step: -1 });
		expect(currentDraft(state).text).toBe('two');
		state = apply(
			state,
			{ type: 'input-recalled', step: -1 },
			{ type: 'input-recalled', step: -1 },
		);
		expect(currentDraft(state).text).toBe('one');
		state = apply(state, { type: 'input-recalled', step: 1 }, { type: 'input-recalled', step: 1 });
		expect(currentDraft(state).text).toBe('');
		state = apply(
			state,
			{ type: 'draft-edited', edit: { type: 'insert', text: 'mine' } },
			{ type: 'input-recalled', step: -1 },
		);
		expect(currentDraft(state).text).toBe('mine');
	});

	it('puts unsent text back, in front of anything typed since', () => {
		let state = apply(
			signedIn(),
			{ type: 'conversation-opened', id: 'user:josie' },
			{ type: 'draft-restored', key: 'user:josie', text: 'lost?' },
		);
		expect(currentDraft(state).text).toBe('lost?');
		state = apply(state, { type: 'draft-restored', key: 'user:josie', text: 'first' });
		expect(currentDraft(state).text).toBe('first\nlost?');
	});

	it('clears a notice only if it is still the one shown', () => {
		let state = apply(signedIn(), { type: 'notice-shown', kind: 'error', text: 'a' });
		const first = state.notice!.serial;
		state = apply(
			state,
			{ type: 'notice-shown', kind: 'info', text: 'b' },
			{ type: 'notice-cleared', serial: first },
		);
		expect(state.notice?.text).toBe('b');
	});

	it('starts over on sign-out, keeping the bell setting, and explains an expired session', () => {
		const state = apply(
			signedIn(),
			{ type: 'bell-set', on: false },
			{ type: 'signed-out', reason: 'expired' },
		);
		expect(state).toMatchObject({ me: undefined, users: [], bell: false });
		expect(state.notice?.kind).toBe('error');
		expect(
			apply(initialChatState(), { type: 'signed-out', reason: 'logout' }).notice,
		).toBeUndefined();
	});
});
