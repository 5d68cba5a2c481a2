import { conversationId, parseConversationId, type ConversationId } from '../state/chat-state.js';
import { isMessage, pendingItem } from '../state/timeline.js';
import { inform, report, type ActionContext } from './action-context.js';
import { markConversationRead } from './read-actions.js';

/** Messages fetched per HISTORY request. */
export const historyPage = 100;

/** Fetches the page of history before what pages already cover (the newest page at first). */
export async function loadOlder(context: ActionContext, id: ConversationId): Promise<void> {
	const conversation = context.getState().conversations[id];
	if (conversation?.history === 'loading' || conversation?.history === 'complete') return;
	const { name } = parseConversationId(id);
	context.dispatch({ type: 'history-requested', id });
	try {
		const before = conversation?.historyFrom;
		const page = await context.client.historyPage(name, { before, limit: historyPage });
		context.dispatch({
			type: 'history-loaded',
			id,
			messages: page.messages,
			// A page the server cut short by size says `more`: keep paging from its oldest id.
			complete: !page.more && page.messages.length < historyPage,
		});
	} catch (error) {
		context.dispatch({ type: 'history-failed', id });
		report(context, error, `Could not load the history of ${name}`);
	}
}

/**
 * Loads pages until history reaches the oldest message pushed so far, so nothing between them is
 * missing (your own messages from another device are not pushed to this one).
 */
async function loadThroughPushed(context: ActionContext, id: ConversationId): Promise<void> {
	for (let page = 0; page < 50; page += 1) {
		await loadOlder(context, id);
		const conversation = context.getState().conversations[id];
		const oldest = conversation?.messages.find(isMessage)?.id;
		if (conversation?.history !== 'more' || oldest === undefined) return;
		if (conversation.historyFrom === undefined || conversation.historyFrom <= oldest) return;
	}
}

export async function refreshMembers(context: ActionContext, group: string): Promise<void> {
	try {
		const members = await context.client.listUsers(group);
		context.dispatch({ type: 'members-listed', group, members });
	} catch (error) {
		report(context, error, `Could not load the members of ${group}`);
	}
}

/** The server's unread counts (UNREAD), at login and after every reconnection. */
export async function refreshUnread(context: ActionContext): Promise<void> {
	try {
		const conversations = await context.client.unread();
		context.dispatch({ type: 'unread-listed', conversations });
		const { open } = context.getState();
		if (open) await markConversationRead(context, open);
	} catch (error) {
		report(context, error, 'Could not load the unread counts');
	}
}

/** Users and groups, fetched again (after login and after every reconnection). */
export async function refreshLists(context: ActionContext): Promise<void> {
	try {
		const [users, groups] = await Promise.all([
			context.client.listUsers(),
			context.client.listGroups(),
		]);
		context.dispatch({ type: 'users-listed', users });
		context.dispatch({ type: 'groups-listed', groups });
		void refreshUnread(context);
		const open = context.getState().open;
		// History that failed while the connection was down is fetched again now.
		if (open && context.getState().conversations[open]?.history === 'failed')
			void loadThroughPushed(context, open);
		if (open?.startsWith('group:')) await refreshMembers(context, parseConversationId(open).name);
	} catch (error) {
		report(context, error, 'Could not load the users and groups');
	}
}

/** Opens a conversation and fetches what it needs; `carryDraft` when a typed command opened it. */
export async function openConversation(
	context: ActionContext,
	id: ConversationId,
	options: { carryDraft?: boolean } = {},
): Promise<void> {
	context.dispatch({ type: 'conversation-opened', id, carryDraft: options.carryDraft });
	const conversation = context.getState().conversations[id];
	const { kind, name } = parseConversationId(id);
	const work: Promise<void>[] = [];
	if (conversation?.history === 'unloaded' || conversation?.history === 'failed')
		work.push(loadThroughPushed(context, id));
	if (kind === 'group') work.push(refreshMembers(context, name));
	await Promise.all(work);
	// Opening it reads it, here and (through the server) on your other devices.
	if (context.getState().open === id) await markConversationRead(context, id);
}

/** Opens a direct conversation, if such a user exists. */
export async function openDirect(context: ActionContext, user: string): Promise<void> {
	const { users } = context.getState();
	if (users.length > 0 && !users.some((entry) => entry.name === user)) {
		report(context, new Error(`there is no user named ${user}`));
		return;
	}
	await openConversation(context, conversationId('user', user), { carryDraft: true });
}

export async function openGroup(context: ActionContext, group: string): Promise<void> {
	if (!context.getState().groups.some((entry) => entry.name === group)) {
		report(context, new Error(`you are not in a group named ${group} (/create ${group} makes it)`));
		return;
	}
	await openConversation(context, conversationId('group', group), { carryDraft: true });
}

/**
 * Sends `text` to a conversation through the outbox: it shows at once, dim with a clock, and is
 * marked sent when the server stored it, now or after a reconnection (the same Send-Id each
 * try). If the server refuses it, the text goes back into the draft (see use-chat-session).
 */
export function sendMessage(
	context: ActionContext,
	id: ConversationId,
	text: string,
	replyTo?: number,
): void {
	const { kind, name } = parseConversationId(id);
	const state = context.getState();
	const entry = context.outbox.enqueue(name, text, { replyTo });
	const fields = {
		from: state.me ?? '',
		to: name,
		group: kind === 'group' ? name : null,
		body: text,
		date: new Date().toISOString(),
		replyTo,
	};
	const item = pendingItem(fields, entry.sendId, state.outbox);
	context.dispatch({ type: 'message-queued', id, item });
}

export async function logOut(context: ActionContext): Promise<void> {
	try {
		await context.client.logout();
		inform(context, 'Logged out');
	} catch (error) {
		report(context, error, 'Could not log out');
	}
}
