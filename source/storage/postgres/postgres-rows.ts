import type { GroupRecord, MessageRecord, UserRecord } from '../../domain/types.js';

export type UserRow = {
	name: string;
	display_name: string;
	password_hash: string;
	created_at: string;
	disabled: boolean;
};
export type GroupRow = { id: number; name: string; owner: string; created_at: string };
export type MessageRow = {
	id: number;
	sender: string;
	recipient: string;
	group_name: string | null;
	body: Buffer;
	date: string;
	reply_to: number | null;
	edited: string | null;
	deleted: boolean | null;
};

export const userColumns = 'name, display_name, password_hash, created_at, disabled';
export const groupColumns = 'id, name, owner, created_at';
export const messageColumns =
	'm.id, m.sender, m.recipient, m.group_name, m.body, m.date, m.reply_to, m.edited, m.deleted';

/** BIGINT as a JS number: ids and millisecond times stay far below 2^53. */
export const bigintAsNumber = {
	to: 20,
	from: [20],
	serialize: (value: number) => String(value),
	parse: (value: string) => Number(value),
};

export const toUser = (row: UserRow): UserRecord => ({
	name: row.name,
	displayName: row.display_name,
	passwordHash: row.password_hash,
	createdAt: row.created_at,
	...(row.disabled ? { disabled: true } : {}),
});

export const toGroup = (row: GroupRow): GroupRecord => ({
	id: row.id,
	name: row.name,
	owner: row.owner,
	createdAt: row.created_at,
});

/** The MessageRecord shape both stores give: replyTo always (null for none), edited and deleted only when set. */
export const toMessage = (row: MessageRow): MessageRecord => ({
	id: row.id,
	from: row.sender,
	to: row.recipient,
	group: row.group_name,
	body: row.body.toString('utf8'),
	date: row.date,
	replyTo: row.reply_to ?? null,
	...(row.edited === null ? {} : { edited: row.edited }),
	...(row.deleted === true ? { deleted: true } : {}),
});
