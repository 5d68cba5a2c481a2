import { fuzzyFilter } from '../text/fuzzy-match.js';
import { conversationId, type ChatState, type ConversationId } from './chat-state.js';

export type SwitcherItem = {
	readonly id: ConversationId;
	readonly kind: 'user' | 'group';
	readonly name: string;
	/** What else is matched (a user's display name). */
	readonly detail: string;
	readonly unread: number;
	readonly online?: boolean;
};

/**
 * Users and groups for the quick switcher, best match first. With no query: unread first, then the
 * conversation list, then everyone else.
 */
export function switcherItems(state: ChatState, query: string): SwitcherItem[] {
	const unread = (id: ConversationId) => state.conversations[id]?.unread ?? 0;
	const items: SwitcherItem[] = [
		...state.groups.map((group) => {
			const id = conversationId('group', group.name);
			return {
				id,
				kind: 'group' as const,
				name: group.name,
				detail: group.role,
				unread: unread(id),
			};
		}),
		...state.users.map((user) => {
			const id = conversationId('user', user.name);
			const detail = user.displayName === user.name ? '' : user.displayName;
			return {
				id,
				kind: 'user' as const,
				name: user.name,
				detail,
				unread: unread(id),
				online: user.online,
			};
		}),
	];
	if (query.trim() !== '') return fuzzyFilter(query, items, (item) => item.name);
	const rank = (item: SwitcherItem) => {
		const place = state.order.indexOf(item.id);
		return (item.unread > 0 ? 0 : 1_000_000) + (place === -1 ? 500_000 : place);
	};
	return items
		.map((item, index) => ({ item, index }))
		.sort((a, b) => rank(a.item) - rank(b.item) || a.index - b.index)
		.map(({ item }) => item);
}
