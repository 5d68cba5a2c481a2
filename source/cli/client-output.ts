import { terminalSafe } from '../client/terminal-text.js';
import type { ChatGroup, ChatMessage, ChatUser, UnreadConversation } from '../client/types.js';

// Everything below prints text that came from the network, so all of it goes through terminalSafe.
const safe = (text: string) => terminalSafe(text);

const pad = (value: number) => String(value).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in local time (the TZ variable picks another zone). */
export function localTime(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return safe(iso);
	const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
	return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `● adrian (Adrian Smith)  owner`: ● online, ○ offline. */
export function formatUsers(users: readonly ChatUser[]): string[] {
	return users.map((user) => {
		const marker = user.online ? '●' : '○';
		const display = user.displayName !== user.name ? ` (${safe(user.displayName)})` : '';
		const role = user.role ? `  ${user.role}` : '';
		return `${marker} ${safe(user.name)}${display}${role}`;
	});
}

/** `chat  owner  3 members`, the caller's role second. */
export function formatGroups(groups: readonly ChatGroup[]): string[] {
	const width = Math.max(0, ...groups.map((group) => group.name.length));
	return groups.map((group) => {
		const members = `${group.members} member${group.members === 1 ? '' : 's'}`;
		return `${safe(group.name).padEnd(width)}  ${group.role.padEnd(5)}  ${members}`;
	});
}

/** `(reply to 12)` after the sender of a reply (§7.3). */
const replyMark = (message: ChatMessage) =>
	message.replyTo ? ` (reply to ${message.replyTo})` : '';

/** The text as shown: `(deleted)` for a tombstone, ` (edited)` after an edited one (§7.4). */
function shownBody(message: ChatMessage): string {
	if (message.deleted) return '(deleted)';
	return message.edited ? `${message.body} (edited)` : message.body;
}

/**
 * `[2026-11-25 11:42:55] adrian: text`; later lines of a body are indented under the first. A
 * reply says `adrian (reply to 12):`, an edited message ends in `(edited)`, a deleted one reads `(deleted)`.
 */
export function formatHistory(messages: readonly ChatMessage[]): string[] {
	return messages.map((message) => {
		const text = terminalSafe(shownBody(message), { keepLineBreaks: true });
		const [first = '', ...rest] = text.split('\n');
		const head = `[${localTime(message.date)}] ${safe(message.from)}${replyMark(message)}: ${first}`;
		return [head, ...rest.map((line) => `    ${line}`)].join('\n');
	});
}

/** `adrian → josie` for a direct message, `adrian → #chat` for a group one. */
function conversationLabel(message: ChatMessage): string {
	const to = message.group === null ? safe(message.to) : `#${safe(message.group)}`;
	return `${safe(message.from)} → ${to}`;
}

/**
 * Search results, one line each and the id first (for `edit`, `delete`, `send --reply-to`):
 * `17 [2026-11-25 11:42:55] adrian → #chat: text`; line breaks in the text show as ` ↵ `.
 */
export function formatFound(messages: readonly ChatMessage[]): string[] {
	return messages.map((message) => {
		const text = safe(shownBody(message).replace(/\r\n?|\n/g, ' ↵ '));
		const head = `${message.id} [${localTime(message.date)}] ${conversationLabel(message)}`;
		return `${head}${replyMark(message)}: ${text}`;
	});
}

/** `#chat  3 unread  (newest 17, read up to 14)`: groups with `#`, direct conversations by user. */
export function formatUnread(conversations: readonly UnreadConversation[]): string[] {
	const names = conversations.map((each) =>
		each.group === null ? safe(each.to) : `#${safe(each.group)}`,
	);
	const width = Math.max(0, ...names.map((label) => label.length));
	return conversations.map((each, index) => {
		const read = each.lastRead > 0 ? `read up to ${each.lastRead}` : 'none read';
		return `${names[index]!.padEnd(width)}  ${each.unread} unread  (newest ${each.lastId}, ${read})`;
	});
}

export function printLines(lines: readonly string[]): void {
	if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

export function printJson(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value)}\n`);
}
