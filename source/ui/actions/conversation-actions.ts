import { conversationId, parseConversationId, type ConversationId } from '../state/chat-state.js';
import { inform, report, type ActionContext } from './action-context.js';

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
		report(context, error, `History of ${name}`);
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
		const oldest = conversation?.messages[0]?.id;
		if (conversation?.history !== 'more' || oldest === undefined) return;
		if (conversation.historyFrom === undefined || conversation.historyFrom <= oldest) return;
	}
}

export async function refreshMembers(context: ActionContext, group: string): Promise<void> {
	try {
		const members = await context.client.listUsers(group);
		context.dispatch({ type: 'members-listed', group, members });
	} catch (error) {
		report(context, error, `Members of ${group}`);
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
		const open = context.getState().open;
		if (open?.startsWith('group:')) await refreshMembers(context, parseConversationId(open).name);
	} catch (error) {
		report(context, error, 'Lists');
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

/** Sends `text` to a conversation; on failure the text goes back into its draft. */
export async function sendMessage(
	context: ActionContext,
	id: ConversationId,
	text: string,
): Promise<void> {
	const { kind, name } = parseConversationId(id);
	const me = context.getState().me ?? '';
	try {
		const messageId = await context.client.send(name, text);
		context.dispatch({
			type: 'message-sent',
			message: {
				id: messageId,
				from: me,
				to: name,
				group: kind === 'group' ? name : null,
				body: text,
				date: new Date().toISOString(),
			},
		});
	} catch (error) {
		context.dispatch({ type: 'draft-restored', key: id, text });
		report(context, error, 'Not sent (your text is back in the input)');
	}
}

export async function logOut(context: ActionContext): Promise<void> {
	try {
		await context.client.logout();
		inform(context, 'Logged out');
	} catch (error) {
		report(context, error, 'Log out');
	}
}
