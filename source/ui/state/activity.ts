import type { ChatState } from './chat-state.js';

/** How much a conversation with unread messages calls for attention, as WeeChat's hotlist. */
export type ActivityLevel = 'mention' | 'direct' | 'message';
export type Activity = { readonly number: number; readonly level: ActivityLevel };

/**
 * The conversations with unread messages, by their Alt+number: a mention or a direct message
 * ranks above a plain group message. As a string, so a component can select it cheaply:
 * `2:mention 5:message`.
 */
export function activityKey(state: ChatState): string {
	const parts: string[] = [];
	state.order.forEach((id, index) => {
		const conversation = state.conversations[id];
		if (!conversation || conversation.unread === 0) return;
		const level: ActivityLevel = conversation.mentioned
			? 'mention'
			: conversation.kind === 'user'
				? 'direct'
				: 'message';
		parts.push(`${index + 1}:${level}`);
	});
	return parts.join(' ');
}

export function parseActivity(key: string): Activity[] {
	if (key === '') return [];
	return key.split(' ').map((part) => {
		const [number, level] = part.split(':');
		return { number: Number(number), level: level as ActivityLevel };
	});
}

/** Unread messages across every conversation, for the terminal title. */
export function totalUnread(state: ChatState): number {
	let total = 0;
	for (const id of state.order) total += state.conversations[id]?.unread ?? 0;
	return total;
}

/**
 * The terminal title: our own words and counts only, never text from the network (a name is
 * a-z 0-9 _ - . by the protocol, and is checked again here).
 */
export function terminalTitle(me: string | undefined, unread: number): string {
	const who = me && /^[a-z0-9_.-]{1,32}$/.test(me) ? ` — ${me}` : '';
	return `${unread > 0 ? `(${unread}) ` : ''}KoriChat${who}`;
}
