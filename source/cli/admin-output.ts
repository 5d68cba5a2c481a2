import { terminalSafe } from '../client/terminal-text.js';
import type { AdminGroup, AdminSession, AdminStats, AdminUser } from '../domain/admin-types.js';
import { localTime } from './client-output.js';

// Names and display names were typed by users: everything shown goes through terminalSafe.
const safe = (text: string) => terminalSafe(text);

/** Columns padded to their widest cell, two spaces apart; a header line first. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]) {
	const widths = header.map((title, column) =>
		Math.max(title.length, ...rows.map((row) => [...(row[column] ?? '')].length)),
	);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) =>
				column === cells.length - 1 ? cell : cell + ' '.repeat(widths[column]! - [...cell].length),
			)
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(line)];
}

const when = (iso: string | null) => (iso === null ? '-' : localTime(iso));
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

export function formatAdminUsers(users: readonly AdminUser[]): string[] {
	if (users.length === 0) return ['no users yet'];
	return formatTable(
		['NAME', 'DISPLAY NAME', 'CREATED', 'LAST SEEN', 'SESSIONS', 'DISABLED'],
		users.map((user) => [
			safe(user.name),
			safe(user.displayName),
			when(user.createdAt),
			when(user.lastSeen),
			String(user.sessions),
			user.disabled ? 'yes' : 'no',
		]),
	);
}

export function formatAdminGroups(groups: readonly AdminGroup[]): string[] {
	if (groups.length === 0) return ['no groups yet'];
	return formatTable(
		['NAME', 'OWNER', 'CREATED', 'MEMBERS', 'MESSAGES'],
		groups.map((group) => [
			safe(group.name),
			safe(group.owner),
			when(group.createdAt),
			String(group.members),
			String(group.messages),
		]),
	);
}

export function formatAdminSessions(user: string, sessions: readonly AdminSession[]): string[] {
	if (sessions.length === 0) return [`${user} has no sessions`];
	return formatTable(
		['SESSION', 'CREATED', 'LAST USED'],
		sessions.map((session) => [
			safe(session.fingerprint),
			when(session.createdAt),
			when(session.lastUsedAt),
		]),
	);
}

/** Byte counts as people read them: `1.4 MiB`. */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatAdminStats(stats: AdminStats): string[] {
	const live = (value: number | null) => (value === null ? '- (no server running)' : String(value));
	return formatTable(
		['', ''],
		[
			['users', String(stats.users)],
			['groups', String(stats.groups)],
			['messages', String(stats.messages)],
			['queue depth', String(stats.queueDepth)],
			['connections', live(stats.connections)],
			['logged-in users', live(stats.loggedInUsers)],
			['database', formatBytes(stats.databaseBytes)],
			['journal', stats.journalBytes === null ? '- (PostgreSQL)' : formatBytes(stats.journalBytes)],
		],
	).slice(1);
}

export const endedSessions = (count: number) => `ended ${plural(count, 'session')}`;
