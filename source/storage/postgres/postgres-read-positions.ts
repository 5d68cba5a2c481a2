import type { Sql } from 'postgres';
import type { UnreadConversation } from '../../domain/types.js';

type Db = Sql<Record<string, unknown>>;
type UnreadRow = {
	to: string;
	group: string | null;
	last_read: number;
	last_id: number;
	unread: number;
};

/**
 * Moves the read position to max(old, upToId) in one statement, so two nodes marking at once
 * never move it back; returns the position now stored.
 */
export async function markRead(
	sql: Db,
	user: string,
	conversation: string,
	upToId: number,
): Promise<number> {
	const [row] = await sql<{ position: number }[]>`
		INSERT INTO read_positions (user_name, conversation, position)
		VALUES (${user}, ${conversation}, ${upToId})
		ON CONFLICT (user_name, conversation) DO UPDATE
		SET position = GREATEST(read_positions.position, excluded.position)
		RETURNING position`;
	return row!.position;
}

/**
 * §7.2: every direct conversation of the user's with a message either way, and every group they
 * are a member of now that has a message, newest last message first. `unread` counts the
 * messages above the read position that others sent and that are not deleted.
 */
export async function unreadConversations(sql: Db, user: string): Promise<UnreadConversation[]> {
	const rows = await sql<UnreadRow[]>`
		WITH direct AS (
			SELECT conversation, other, MAX(id) AS last_id FROM (
				SELECT conversation, recipient AS other, id FROM messages
				WHERE group_name IS NULL AND sender = ${user}
				UNION ALL
				SELECT conversation, sender AS other, id FROM messages
				WHERE group_name IS NULL AND recipient = ${user} AND sender <> ${user}
			) AS mine GROUP BY conversation, other),
		grouped AS (
			SELECT k.conversation, g.name,
				(SELECT MAX(id) FROM messages WHERE conversation = k.conversation) AS last_id
			FROM members mb JOIN groups g ON g.id = mb.group_id
			CROSS JOIN LATERAL (SELECT 'g:' || mb.group_id AS conversation) AS k
			WHERE mb.user_name = ${user}),
		conversations AS (
			SELECT conversation, other AS "to", NULL::text AS "group", last_id FROM direct
			UNION ALL
			SELECT conversation, name, name, last_id FROM grouped WHERE last_id IS NOT NULL)
		SELECT c."to", c."group", COALESCE(r.position, 0) AS last_read, c.last_id,
			(SELECT COUNT(*) FROM messages m
			WHERE m.conversation = c.conversation AND m.id > COALESCE(r.position, 0)
				AND m.sender <> ${user} AND NOT m.deleted) AS unread
		FROM conversations c
		LEFT JOIN read_positions r ON r.user_name = ${user} AND r.conversation = c.conversation
		ORDER BY c.last_id DESC`;
	return rows.map((row) => ({
		to: row.to,
		group: row.group,
		lastRead: row.last_read,
		lastId: row.last_id,
		unread: row.unread,
	}));
}
