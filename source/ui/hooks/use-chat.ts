import { useContext, useSyncExternalStore } from 'react';
import type { ActionContext } from '../actions/action-context.js';
import type { ChatState } from '../state/chat-state.js';
import { ChatActionsContext, ChatStoreContext } from '../components/ChatContext.js';

const whole = (state: ChatState) => state;

/** A slice of the UI state; the component re-renders only when that slice changes. */
export function useChatState<T = ChatState>(
	select: (state: ChatState) => T = whole as (state: ChatState) => T,
): T {
	const store = useContext(ChatStoreContext);
	if (!store) throw new Error('useChatState must be used inside <ChatProvider>');
	return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** The context the actions in ../actions take: client, dispatch, getState, quit. */
export function useChatActions(): ActionContext {
	const actions = useContext(ChatActionsContext);
	if (!actions) throw new Error('useChatActions must be used inside <ChatProvider>');
	return actions;
}
