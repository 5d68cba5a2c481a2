import { terminalSafe } from '../client/terminal-text.js';
import type { ChatGroup, ChatMessage, ChatUser } from '../client/types.js';

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

/** `[2026-11-25 11:42:55] adrian: text`; later lines of a body are indented under the first. */
export function formatHistory(messages: readonly ChatMessage[]): string[] {
	return messages.map((message) => {
		const [first = '', ...rest] = terminalSafe(message.body, { keepLineBreaks: true }).split('\n');
		const head = `[${localTime(message.date)}] ${safe(message.from)}: ${first}`;
		return [head, ...rest.map((line) => `    ${line}`)].join('\n');
	});
}

export function printLines(lines: readonly string[]): void {
	if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
}

export function printJson(value: unknown): void {
	process.stdout.write(`${JSON.stringify(value)}\n`);
}
