import { useEffect } from 'react';
import { openConversation } from '../actions/conversation-actions.js';
import type { ActionContext } from '../actions/action-context.js';
import { parseConversationId, type ConversationId } from '../state/chat-state.js';
import type { ChatStore } from '../state/chat-store.js';
import { viewToSave } from '../state/saved-view.js';
import type { SavedView, ViewStore } from '../storage/view-store.js';

/** Saves are written this long after the last change (typing saves a draft once it pauses). */
const saveDelayMs = 400;

/**
 * What a restart keeps: on login, the last run's order and drafts come back and its conversation
 * opens again (a group once it is known you are still in it); every change is saved, shortly after.
 */
export function useSavedView(
	context: ActionContext,
	store: Pick<ChatStore, 'subscribe' | 'getState'>,
	views: ViewStore | undefined,
): void {
	useEffect(() => {
		if (!views) return;
		const server = context.client.address.key;
		let me: string | undefined;
		let saved = '';
		let timer: NodeJS.Timeout | undefined;
		let waitingFor: ConversationId | undefined;
		const save = () => {
			clearTimeout(timer);
			timer = undefined;
			const state = store.getState();
			if (!state.me || state.me !== me) return;
			const text = JSON.stringify(viewToSave(state));
			if (text === saved) return;
			saved = text;
			views.save(server, state.me, JSON.parse(text) as SavedView);
		};
		const onChange = () => {
			const state = store.getState();
			if (state.me !== me) {
				save();
				me = state.me;
				if (!me) return;
				views.remember(server);
				const view = views.load(server, me);
				saved = view ? JSON.stringify(view) : '';
				if (!view) return;
				context.dispatch({ type: 'view-restored', view });
				if (view.open?.startsWith('user:')) void openConversation(context, view.open);
				else if (view.open) waitingFor = view.open;
				return;
			}
			if (waitingFor && state.open === undefined) {
				const group = parseConversationId(waitingFor).name;
				if (state.groups.some((entry) => entry.name === group)) {
					const id = waitingFor;
					waitingFor = undefined;
					void openConversation(context, id);
				}
			} else if (state.open !== undefined) waitingFor = undefined;
			timer ??= setTimeout(save, saveDelayMs);
		};
		const unsubscribe = store.subscribe(onChange);
		onChange();
		return () => {
			unsubscribe();
			save();
		};
	}, [context, store, views]);
}
