import type { ChatUser } from '../../client/index.js';
import type { ChatState } from './chat-state.js';
import { lastMessageId } from './timeline.js';

type Cached = {
	readonly users: readonly ChatUser[];
	readonly conversations: ChatState['conversations'];
	readonly result: readonly ChatUser[];
};
let cached: Cached | undefined;

/**
 * The Users pane's order: the people you talk with first, the most recent conversation on top
 * (ids grow with time), then everyone else by name. The same array comes back while nothing in it
 * changed, so components can select it.
 */
export function usersInPaneOrder(state: ChatState): readonly ChatUser[] {
	const { users, conversations } = state;
	if (cached?.users === users && cached.conversations === conversations) return cached.result;
	const latest = new Map<string, number>();
	for (const user of users) {
		const conversation = conversations[`user:${user.name}`];
		const last = conversation ? lastMessageId(conversation.messages) : 0;
		if (last > 0) latest.set(user.name, last);
	}
	const recent = users
		.filter((user) => latest.has(user.name))
		.sort((a, b) => latest.get(b.name)! - latest.get(a.name)!);
	const result = [...recent, ...users.filter((user) => !latest.has(user.name))];
	const same =
		cached?.users === users &&
		cached.result.length === result.length &&
		cached.result.every((user, index) => user === result[index]);
	cached = { users, conversations, result: same ? cached!.result : result };
	return cached.result;
}
