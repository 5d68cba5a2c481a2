import type { ChatMessage } from '../../../source/client/index.js';
import { chatReducer } from '../../../source/ui/state/chat-reducer.js';
import type { ChatAction } from '../../../source/ui/state/chat-actions.js';
import { initialChatState, type ChatState } from '../../../source/ui/state/chat-state.js';

let nextId = 1;

/** A message; ids increase unless given. */
export function message(
	fields: Partial<ChatMessage> & Pick<ChatMessage, 'from' | 'to'>,
): ChatMessage {
	return { id: nextId++, group: null, body: 'hello', date: '2026-11-25T11:42:55.123Z', ...fields };
}

export const apply = (state: ChatState, ...actions: ChatAction[]) =>
	actions.reduce(chatReducer, state);

/** Signed in as adrian with josie and john around, and one group, `chat`. */
export function signedIn(): ChatState {
	return apply(
		initialChatState(),
		{ type: 'signed-in', user: 'adrian' },
		{
			type: 'users-listed',
			users: [
				{ name: 'josie', displayName: 'Josie', online: true },
				{ name: 'adrian', displayName: 'adrian', online: true },
				{ name: 'john', displayName: 'john', online: false },
			],
		},
		{
			type: 'groups-listed',
			groups: [{ name: 'chat', owner: 'adrian', role: 'owner', members: 2 }],
		},
	);
}
