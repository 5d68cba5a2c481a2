import { describe, expect, it } from 'vitest';
import type { ChatClient, ChatMessage, HistoryOptions } from '../../../source/client/index.js';
import { historyPage, loadOlder } from '../../../source/ui/actions/conversation-actions.js';
import type { ActionContext } from '../../../source/ui/actions/action-context.js';
import type { ChatAction } from '../../../source/ui/state/chat-actions.js';
import { chatReducer } from '../../../source/ui/state/chat-reducer.js';
import { conversationId, initialChatState } from '../../../source/ui/state/chat-state.js';

const message = (id: number): ChatMessage => ({
	id,
	from: 'josie',
	to: 'adrian',
	group: null,
	body: `m${id}`,
	date: '2026-12-03T10:00:00.000Z',
});

/** A server whose pages stop at three messages (its size bound), saying so with `more`. */
function cutShort(newest: number): Pick<ChatClient, 'historyPage'> {
	return {
		async historyPage(_target: string, options: HistoryOptions = {}) {
			const before = options.before ?? newest + 1;
			const ids = [];
			for (let id = Math.max(1, before - 3); id < before; id++) ids.push(id);
			return { messages: ids.map(message), more: ids[0]! > 1 };
		},
	};
}

describe('scroll-back over pages cut short by size', () => {
	it('keeps paging from the oldest id while a page says more, and stops at the first', async () => {
		let state = initialChatState({ me: 'adrian' });
		const context: ActionContext = {
			client: cutShort(10) as ChatClient,
			// Scroll-back sends nothing.
			outbox: undefined as unknown as ActionContext['outbox'],
			dispatch: (action: ChatAction) => (state = chatReducer(state, action)),
			getState: () => state,
			quit: () => undefined,
		};
		const id = conversationId('user', 'josie');
		await loadOlder(context, id);
		// Three messages, fewer than a page of 100, yet not the beginning.
		expect(state.conversations[id]?.messages.map((m) => m.id)).toEqual([8, 9, 10]);
		expect(state.conversations[id]?.history).toBe('more');
		for (let page = 0; page < 5; page++) await loadOlder(context, id);
		expect(state.conversations[id]?.messages.map((m) => m.id)).toEqual([
			1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
		]);
		expect(state.conversations[id]?.history).toBe('complete');
		expect(historyPage).toBe(100);
	});
});
