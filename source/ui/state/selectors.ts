import type { ChatGroup, ChatMessage } from '../../client/index.js';
import { mentions } from '../text/mentions.js';
import { usersInPaneOrder } from './people-order.js';
import {
	conversationOf,
	type ChatState,
	type Conversation,
	type ConversationId,
} from './chat-state.js';

/** The conversation `step` places after (or before) the open one, round the list. */
export function steppedConversation(state: ChatState, step: 1 | -1): ConversationId | undefined {
	const { order } = state;
	if (order.length === 0) return undefined;
	const index = state.open ? order.indexOf(state.open) : -1;
	if (index === -1) return step === 1 ? order[0] : order.at(-1);
	return order[(index + step + order.length) % order.length];
}

/** The next conversation with unread messages after the open one, round the list. */
export function nextUnread(state: ChatState): ConversationId | undefined {
	const { order } = state;
	const start = state.open ? order.indexOf(state.open) : -1;
	for (let step = 1; step <= order.length; step += 1) {
		const id = order[(start + step + order.length) % order.length]!;
		if ((state.conversations[id]?.unread ?? 0) > 0) return id;
	}
	return undefined;
}

/** The highlighted name of a pane (the first entry until one is chosen). */
export function selectedName(state: ChatState, pane: 'users' | 'groups'): string | undefined {
	const list = pane === 'users' ? usersInPaneOrder(state) : state.groups;
	const chosen = state.selected[pane];
	return list.some((entry) => entry.name === chosen) ? chosen : list[0]?.name;
}

export function groupNamed(state: ChatState, name: string | undefined): ChatGroup | undefined {
	return state.groups.find((group) => group.name === name);
}

/** The group of the open conversation, if it is one. */
export function openGroupName(state: ChatState): string | undefined {
	return state.open?.startsWith('group:') ? state.open.slice('group:'.length) : undefined;
}

/** Ring for a direct message or a mention, unless it is in the conversation being read. */
export function shouldRing(state: ChatState, message: ChatMessage): boolean {
	if (!state.bell || !state.me || message.from === state.me) return false;
	if (conversationOf(message, state.me) === state.open) return false;
	return message.group === null || mentions(message.body, state.me);
}

/** The line above a conversation's oldest loaded message, telling where its history stands. */
export function historyBanner(conversation: Conversation): string | undefined {
	switch (conversation.history) {
		case 'loading':
			return 'Loading older messages…';
		case 'failed':
			return 'Older messages could not be loaded: PgUp to try again';
		case 'complete':
			return conversation.messages.length > 0 ? 'Beginning of the conversation' : undefined;
		default:
			return undefined;
	}
}
