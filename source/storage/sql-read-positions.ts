import type { UnreadConversation } from '../domain/types.js';
import type { SqlReader, SqlWriter } from './sql-types.js';

/** Moves the user's read position in a conversation to max(old, upToId); returns the new one. */
export function markRead(
	tx: SqlWriter,
	user: string,
	conversation: string,
	upToId: number,
): number {
	tx.run(
		`INSERT INTO read_positions (user, conversation, position) VALUES (?, ?, ?)
		ON CONFLICT (user, conversation) DO UPDATE SET position = excluded.position
		WHERE excluded.position > position`,
		[user, conversation, upToId],
	);
	return tx.get<{ position: number }>(
		'SELECT position FROM read_positions WHERE user = ? AND conversation = ?',
		[user, conversation],
	)!.position;
}

/** Drops every read position in a conversation (its group was deleted). */
export function forgetReadPositions(tx: SqlWriter, conversation: string): void {
	tx.run('DELETE FROM read_positions WHERE conversation = ?', [conversation]);
}

type UnreadRow = {
	conversation: string;
	other: string;
	group_name: string | null;
	last_id: number;
	last_read: number;
	unread: number;
};

// ?1 the user. Direct conversations come from the user's direct messages either way (through the
// by-recipient and by-sender indexes); groups from the user's memberships now. `other` names it
// from the user's side: the other party, or the user for a self-DM. A tombstone still counts as
// the conversation's last message (it stays in HISTORY) but never as an unread one.
const unreadQuery = `
	SELECT c.conversation, c.other, c.group_name, c.last_id,
		COALESCE(r.position, 0) AS last_read,
		(SELECT COUNT(*) FROM messages m
			WHERE m.conversation = c.conversation AND m.id > COALESCE(r.position, 0)
				AND m.sender <> ?1 AND m.deleted = 0) AS unread
	FROM (
		SELECT conversation, CASE WHEN sender = ?1 THEN recipient ELSE sender END AS other,
			NULL AS group_name, MAX(id) AS last_id
		FROM messages WHERE group_name IS NULL AND (sender = ?1 OR recipient = ?1)
		GROUP BY conversation
		UNION ALL
		SELECT 'g:' || g.id, g.name, g.name,
			(SELECT MAX(id) FROM messages WHERE conversation = 'g:' || g.id)
		FROM members mb JOIN groups g ON g.id = mb.group_id WHERE mb.user = ?1
	) c
	LEFT JOIN read_positions r ON r.user = ?1 AND r.conversation = c.conversation
	WHERE c.last_id IS NOT NULL
	ORDER BY c.last_id DESC`;

/**
 * Every conversation of the user's with at least one message, newest lastId first; `unread`
 * counts the messages above the read position that others sent and that are not deleted.
 */
export function unreadConversations(db: SqlReader, user: string): UnreadConversation[] {
	return db.all<UnreadRow>(unreadQuery, [user]).map((row) => ({
		to: row.other,
		group: row.group_name,
		lastRead: row.last_read,
		lastId: row.last_id,
		unread: row.unread,
	}));
}
