import { useEffect } from 'react';
import type { ChatClientEvents } from '../../client/index.js';
import type { OutboxEntry } from '../../client/index.js';
import { describeError, report, type ActionContext } from '../actions/action-context.js';
import { refreshLists, refreshMembers } from '../actions/conversation-actions.js';
import { markConversationRead } from '../actions/read-actions.js';
import { conversationOf } from '../state/chat-state.js';
import { shouldRing } from '../state/selectors.js';
import { sentMessage } from '../state/timeline.js';
import { typingShownMs } from '../state/typing-indicator.js';

/**
 * First connection attempts back off up to this; after the first success the client reconnects
 * itself (the UI caps its back-off at a few seconds too: someone is looking).
 */
const maxRetryMs = 5_000;

/**
 * Keeps the state in step with the client: pushes (messages, presence, users, groups, reads,
 * edits, deletes, typing) become actions, connection changes show in the status bar, and lists
 * are fetched again after every (re)connection, so nothing needs a manual refresh.
 */
export function useChatSession(context: ActionContext, ring: () => void, autoConnect = true): void {
	useEffect(() => {
		const { client, outbox, dispatch, getState } = context;
		const now = () => new Date().toISOString();
		const pendingOf = (entry: OutboxEntry) =>
			getState().outbox.find((item) => item.sendId === entry.sendId);
		const onSent = (entry: OutboxEntry, id: number) => {
			const item = pendingOf(entry);
			if (item)
				dispatch({ type: 'message-sent', message: sentMessage(item, id), sendId: entry.sendId });
		};
		const onFailed = (entry: OutboxEntry, error: unknown) => {
			const item = pendingOf(entry);
			dispatch({ type: 'message-failed', sendId: entry.sendId });
			if (item)
				dispatch({
					type: 'draft-restored',
					key: conversationOf(item, getState().me),
					text: item.body,
				});
			report(context, error, 'Not sent (your text is back in the input)');
		};
		outbox.on('sent', onSent);
		outbox.on('failed', onFailed);
		let cancelled = false;
		let retryTimer: NodeJS.Timeout | undefined;
		const synchronise = () => {
			dispatch({ type: 'connection-changed', connection: { state: 'online' }, date: now() });
			if (!client.user) return;
			dispatch({ type: 'signed-in', user: client.user });
			void refreshLists(context);
		};
		const handlers: { [K in keyof ChatClientEvents]?: (...args: ChatClientEvents[K]) => void } = {
			message: (message) => {
				if (shouldRing(getState(), message)) ring();
				dispatch({ type: 'message-received', message });
				// A message arriving in the conversation being read is read, on every device.
				const state = getState();
				const id = conversationOf(message, state.me);
				if (message.from !== state.me && id === state.open) void markConversationRead(context, id);
			},
			read: (event) => dispatch({ type: 'read-moved', event }),
			edit: (event) => dispatch({ type: 'message-edited', event }),
			delete: ({ id, from, to, group }) =>
				dispatch({ type: 'message-deleted', event: { id, from, to, group } }),
			typing: (event) =>
				dispatch({ type: 'typing-started', event, until: Date.now() + typingShownMs }),
			presence: ({ user, online }) => dispatch({ type: 'presence-changed', user, online }),
			user: ({ user, displayName }) => dispatch({ type: 'user-registered', user, displayName }),
			group: (event) => {
				dispatch({ type: 'group-changed', event, date: now() });
				const state = getState();
				// A group joined, or a role changed: its details (owner, size, role) come from the server.
				if (event.user === state.me && event.event !== 'removed' && event.event !== 'deleted') {
					void client.listGroups().then(
						(groups) => dispatch({ type: 'groups-listed', groups }),
						() => undefined,
					);
				}
				if (state.members[event.group] && event.event !== 'deleted')
					void refreshMembers(context, event.group);
			},
			connecting: () =>
				dispatch({ type: 'connection-changed', connection: { state: 'connecting' } }),
			online: synchronise,
			offline: (reason, retryInMs) =>
				dispatch({
					type: 'connection-changed',
					connection: {
						state: 'offline',
						retryInMs,
						retryAt: retryInMs === undefined ? undefined : Date.now() + retryInMs,
						error: describeError(reason),
					},
					date: now(),
				}),
			'logged-out': (reason) => dispatch({ type: 'signed-out', reason }),
		};
		const entries = Object.entries(handlers) as [
			keyof ChatClientEvents,
			(...args: unknown[]) => void,
		][];
		for (const [event, handler] of entries) client.on(event, handler as never);

		const connect = async (attempt: number) => {
			if (client.state === 'online') {
				synchronise();
				return;
			}
			try {
				await client.connect();
			} catch (error) {
				if (cancelled || client.state !== 'idle') return;
				const retryInMs = Math.min(maxRetryMs, 500 * 2 ** attempt);
				dispatch({
					type: 'connection-changed',
					connection: {
						state: 'offline',
						retryInMs,
						retryAt: Date.now() + retryInMs,
						error: describeError(error),
					},
					date: now(),
				});
				retryTimer = setTimeout(() => void connect(attempt + 1), retryInMs);
			}
		};
		if (autoConnect) void connect(0);
		return () => {
			cancelled = true;
			clearTimeout(retryTimer);
			outbox.off('sent', onSent);
			outbox.off('failed', onFailed);
			for (const [event, handler] of entries) client.off(event, handler as never);
		};
	}, [context, ring, autoConnect]);
}
