import { scrollMessages } from '../layout/message-layout.js';
import type { ChatAction } from './chat-actions.js';
import {
	conversationId,
	currentDraft,
	draftKey,
	focusOrder,
	initialChatState,
	type ChatState,
} from './chat-state.js';
import {
	applyGroupEvent,
	insertMessage,
	mergeMessages,
	sortedByName,
	withConversation,
	withOrder,
} from './conversation-updates.js';
import { completeInput } from './completion.js';
import { isMessageAction } from './message-actions.js';
import { messageReducer } from './message-reducer.js';
import { endCompose } from './message-selection.js';
import { usersInPaneOrder } from './people-order.js';
import { readMarkerPosition } from './read-marker.js';
import { restoreView } from './saved-view.js';
import { historyBanner } from './selectors.js';
import { noteConnection, noteGroupEvent } from './timeline-updates.js';
import { editText, emptyInput } from './text-input.js';
import { receive, withoutPending } from './received-messages.js';

function showNotice(
	state: ChatState,
	kind: 'error' | 'info',
	text: string,
	date?: string,
): ChatState {
	const notice = { kind, text, serial: (state.notice?.serial ?? 0) + 1, date };
	// Errors are kept whole for the notices view (/notices, F2): the status bar may cut them.
	const notices = kind === 'error' ? [...state.notices, notice].slice(-200) : state.notices;
	return { ...state, notice, notices };
}

function setDraft(state: ChatState, key: string, text: string): ChatState {
	return { ...state, drafts: { ...state.drafts, [key]: { text, cursor: text.length } } };
}

function moveSelection(state: ChatState, pane: 'users' | 'groups', step: number): ChatState {
	const names = (pane === 'users' ? usersInPaneOrder(state) : state.groups).map(
		(entry) => entry.name,
	);
	if (names.length === 0) return state;
	const current = names.indexOf(state.selected[pane] ?? '');
	const index = Math.min(names.length - 1, Math.max(0, (current === -1 ? 0 : current) + step));
	return { ...state, selected: { ...state.selected, [pane]: names[index] } };
}

function recall(state: ChatState, step: 1 | -1): ChatState {
	const draft = currentDraft(state);
	const recalled = state.recall === undefined ? undefined : state.sent[state.recall];
	// Never overwrite something typed: recall only from an empty or recalled, unchanged line.
	if (state.sent.length === 0 || (draft.text !== '' && draft.text !== recalled)) return state;
	const index = Math.min(
		state.sent.length,
		Math.max(0, (state.recall ?? state.sent.length) + step),
	);
	const text = index === state.sent.length ? '' : state.sent[index]!;
	return {
		...setDraft(state, draftKey(state), text),
		recall: index === state.sent.length ? undefined : index,
	};
}

/** The UI's one state owner: pure, so every rule here is tested without a terminal. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
	if (isMessageAction(action)) return messageReducer(state, action);
	switch (action.type) {
		case 'signed-in': {
			if (state.me === action.user) return state;
			const fresh = {
				...initialChatState({ me: action.user, bell: state.bell }),
				connection: state.connection,
			};
			// Queued messages pushed while the login was being answered: now it is known whose they are.
			const early = state.me ? [] : state.early;
			return early.reduce(
				(next, message) => receive(next, { type: 'message-received', message }),
				fresh,
			);
		}
		case 'signed-out': {
			const next = { ...initialChatState({ bell: state.bell }), connection: state.connection };
			return action.reason === 'expired'
				? showNotice(next, 'error', 'Your session has ended: please log in again.')
				: next;
		}
		case 'view-restored':
			return restoreView(state, action.view);
		case 'connection-changed':
			return noteConnection(state, action);
		case 'users-listed':
			return { ...state, users: sortedByName(action.users) };
		case 'groups-listed': {
			const groups = sortedByName(action.groups);
			const ids = new Set(groups.map((group) => conversationId('group', group.name)));
			const kept = state.order.filter((id) => !id.startsWith('group:') || ids.has(id));
			return { ...state, groups, order: [...kept, ...[...ids].filter((id) => !kept.includes(id))] };
		}
		case 'members-listed':
			return {
				...state,
				members: { ...state.members, [action.group]: sortedByName(action.members) },
			};
		case 'presence-changed': {
			const update = <T extends { name: string; online: boolean }>(entry: T): T =>
				entry.name === action.user ? { ...entry, online: action.online } : entry;
			const members = Object.fromEntries(
				Object.entries(state.members).map(([group, list]) => [group, list.map(update)]),
			);
			return { ...state, users: state.users.map(update), members };
		}
		case 'user-registered':
			if (state.users.some((user) => user.name === action.user)) return state;
			return {
				...state,
				users: sortedByName([
					...state.users,
					{ name: action.user, displayName: action.displayName, online: false },
				]),
			};
		case 'group-changed': {
			const { state: next, notice } = applyGroupEvent(state, action.event);
			const noted = noteGroupEvent(next, action.event, action.date);
			return notice ? showNotice(noted, 'info', notice) : noted;
		}
		case 'group-created': {
			const groups = sortedByName([
				...state.groups.filter((group) => group.name !== action.group.name),
				action.group,
			]);
			return withOrder({ ...state, groups }, conversationId('group', action.group.name));
		}
		case 'group-gone': {
			// You left or deleted it: its conversation closes too.
			const next = applyGroupEvent(state, {
				group: action.group,
				event: 'deleted',
				by: state.me ?? '',
			}).state;
			return next.open === conversationId('group', action.group)
				? { ...next, open: undefined }
				: next;
		}
		case 'message-received':
		case 'message-sent':
			return receive(state, action);
		case 'message-queued':
			return withOrder(
				withConversation(
					{ ...state, outbox: [...state.outbox, action.item] },
					action.id,
					(conversation) => ({
						...conversation,
						messages: insertMessage(conversation.messages, action.item),
						scroll: undefined,
					}),
				),
				action.id,
			);
		case 'message-failed':
			return withoutPending(state, action.sendId);
		case 'history-requested':
			return withConversation(state, action.id, (conversation) => ({
				...conversation,
				history: 'loading',
			}));
		case 'history-loaded': {
			const first = action.messages[0]?.id;
			return withConversation(state, action.id, (conversation) => ({
				...conversation,
				messages: mergeMessages(action.messages, conversation.messages),
				history: action.complete ? 'complete' : 'more',
				historyFrom:
					first === undefined
						? conversation.historyFrom
						: Math.min(conversation.historyFrom ?? first, first),
			}));
		}
		case 'history-failed':
			return withConversation(state, action.id, (conversation) => ({
				...conversation,
				history: 'failed',
			}));
		case 'conversation-opened': {
			// The "new messages" line of the conversation left goes; the one opened shows its own,
			// scrolled into view (at the top) instead of following the newest message.
			// A reply or an edit belongs to the conversation it started in.
			if (state.compose && state.compose.conversation !== action.id) state = endCompose(state);
			state = { ...state, selection: undefined };
			let next =
				state.open && state.open !== action.id
					? withConversation(state, state.open, (conversation) => ({
							...conversation,
							marker: undefined,
							// Opened on the marker and not scrolled since: back to the newest next time.
							scroll:
								conversation.scroll && 'topId' in conversation.scroll
									? undefined
									: conversation.scroll,
						}))
					: state;
			next = withConversation(next, action.id, (conversation) => {
				const marker = readMarkerPosition(conversation, state.me) ?? conversation.marker;
				const fresh = marker !== undefined && marker !== conversation.marker;
				return {
					...conversation,
					unread: 0,
					mentioned: false,
					firstUnread: undefined,
					marker,
					scroll: fresh ? { topId: marker } : conversation.scroll,
				};
			});
			const typed = currentDraft(state);
			if (action.carryDraft && typed.text !== '' && !next.drafts[action.id]?.text) {
				next = {
					...next,
					drafts: { ...next.drafts, [draftKey(state)]: emptyInput, [action.id]: typed },
				};
			}
			return withOrder(
				{ ...next, open: action.id, focus: 'input', overlay: undefined, recall: undefined },
				action.id,
			);
		}
		case 'conversation-closed': {
			if (state.compose?.conversation === action.id) state = endCompose(state);
			const order = state.order.filter((entry) => entry !== action.id);
			return {
				...state,
				order,
				open: state.open === action.id ? undefined : state.open,
				selection: state.selection?.conversation === action.id ? undefined : state.selection,
			};
		}
		case 'focus-moved':
			return { ...state, focus: action.focus };
		case 'typed-in-pane': {
			const key = draftKey(state);
			const draft = editText(currentDraft(state), { type: 'insert', text: action.text });
			return {
				...state,
				focus: 'input',
				drafts: { ...state.drafts, [key]: draft },
				recall: undefined,
			};
		}
		case 'input-tabbed': {
			const done = completeInput(state, currentDraft(state), state.completion);
			if (!done) return chatReducer(state, { type: 'focus-cycled', step: 1 });
			return {
				...state,
				drafts: { ...state.drafts, [draftKey(state)]: done.input },
				completion: done.completion,
				recall: undefined,
			};
		}
		case 'focus-cycled': {
			const index = focusOrder.indexOf(state.focus);
			return {
				...state,
				focus: focusOrder[(index + action.step + focusOrder.length) % focusOrder.length]!,
			};
		}
		case 'selection-moved':
			return moveSelection(state, action.pane, action.step);
		case 'message-view-scrolled': {
			if (!state.open) return state;
			const view = { width: action.width, height: action.height, me: state.me };
			return withConversation(state, state.open, (conversation) => ({
				...conversation,
				scroll: scrollMessages(conversation.messages, conversation.scroll, action.rows, {
					...view,
					banner: historyBanner(conversation),
					marker: conversation.marker,
				}),
			}));
		}
		case 'message-view-pinned':
			if (!state.open) return state;
			return withConversation(state, state.open, (conversation) => ({
				...conversation,
				scroll: undefined,
			}));
		case 'overlay-opened':
			return { ...state, overlay: action.overlay };
		case 'overlay-closed':
			// Every dialog hands the focus back to the input: what is typed next is a message.
			return { ...state, overlay: undefined, focus: 'input' };
		case 'notice-shown':
			return showNotice(state, action.kind, action.text, action.date);
		case 'notice-cleared':
			return state.notice?.serial === action.serial ? { ...state, notice: undefined } : state;
		case 'bell-set':
			return { ...state, bell: action.on };
		case 'draft-edited': {
			const key = draftKey(state);
			return {
				...state,
				drafts: { ...state.drafts, [key]: editText(currentDraft(state), action.edit) },
				recall: undefined,
				completion: undefined,
			};
		}
		case 'draft-sent':
			return {
				...state,
				drafts: { ...state.drafts, [draftKey(state)]: emptyInput },
				sent: [...state.sent.filter((text) => text !== action.text), action.text].slice(-100),
				recall: undefined,
			};
		case 'draft-restored': {
			const current = state.drafts[action.key]?.text ?? '';
			return setDraft(
				state,
				action.key,
				current === '' ? action.text : `${action.text}\n${current}`,
			);
		}
		case 'input-recalled':
			return recall(state, action.step);
	}
}
