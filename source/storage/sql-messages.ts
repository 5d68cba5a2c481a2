import { sendIdLifetimeMs } from '../domain/send-ids.js';
import type { AppendedMessage } from '../domain/store.js';
import type { LocatedMessage, MessageRecord, NewMessage } from '../domain/types.js';
import type { JournaledDatabase, SqlWriter } from './journaled-database.js';
import { lastMessageId, messageColumns, toMessage, type MessageRow } from './sql-message-rows.js';
import type { IndexedMessage } from './search-index-core.js';

// ?1 user, ?2 after this id, ?3 at most this many. Group messages come from the inbox rows;
// direct ones, received or sent (a self-DM once: the sent half skips it), from above the user's
// cursor. Each part takes its own index and its own limit before the merge.
export const pendingQuery = `
	SELECT * FROM (
		SELECT ${messageColumns} FROM inbox i JOIN messages m ON m.id = i.message_id
		WHERE i.user = ?1 AND i.message_id > ?2 AND m.deleted = 0 ORDER BY i.message_id LIMIT ?3)
	UNION ALL
	SELECT * FROM (
		SELECT ${messageColumns} FROM messages m
		WHERE m.recipient = ?1 AND m.group_name IS NULL AND m.deleted = 0 AND m.id > max(?2,
			COALESCE((SELECT acknowledged FROM direct_cursors WHERE user = ?1), 0))
		ORDER BY m.id LIMIT ?3)
	UNION ALL
	SELECT * FROM (
		SELECT ${messageColumns} FROM messages m
		WHERE m.sender = ?1 AND m.recipient <> ?1 AND m.group_name IS NULL AND m.deleted = 0
			AND m.id > max(?2, COALESCE((SELECT acknowledged FROM direct_cursors WHERE user = ?1), 0))
		ORDER BY m.id LIMIT ?3)
	ORDER BY id LIMIT ?3`;

// pendingQuery for every user at once, counted: inbox rows (a deleted message has none) and, per
// user, the direct messages above their cursor, each counted by a range of its partial index. The
// per-user subqueries keep users the outer loop: as a join SQLite scanned every direct message
// instead (~3 s at a million messages, blocking the server at each metrics scrape).
export const queueDepthQuery = `
	SELECT (SELECT COUNT(*) FROM inbox) + COALESCE((
		SELECT SUM(
			(SELECT COUNT(*) FROM messages m WHERE m.recipient = u.name AND m.group_name IS NULL
				AND m.id > COALESCE(c.acknowledged, 0) AND m.deleted = 0)
			+ (SELECT COUNT(*) FROM messages m WHERE m.sender = u.name AND m.group_name IS NULL
				AND m.id > COALESCE(c.acknowledged, 0) AND m.recipient <> u.name AND m.deleted = 0))
		FROM users u LEFT JOIN direct_cursors c ON c.user = u.name), 0) AS depth`;

type LocatedRow = MessageRow & { conversation: string };

/** What the search index is told of the changes made here (search-index-host.ts). */
export interface MessageIndexChanges {
	added(message: IndexedMessage): void;
	/** Inside the write that edits or deletes them, the messages as they are before it. */
	remember(tx: SqlWriter, messages: readonly IndexedMessage[]): void;
	edited(before: IndexedMessage, after: IndexedMessage): void;
	deleted(messages: readonly IndexedMessage[]): void;
}

/** A message as the search index takes it. */
export function indexedMessage(message: MessageRecord, conversation: string): IndexedMessage {
	return {
		id: message.id,
		conversation,
		sender: message.from,
		recipient: message.to,
		group: message.group,
		body: message.body,
	};
}

// Expired Send-Ids are swept every this many appends that carry one.
const sendIdSweepEvery = 1000;

/** Messages, their queues, edits, deletes and Send-Ids over the journaled sql.js database. */
export class SqlMessages {
	#sendIdsSinceSweep = 0;
	/** The id the next message gets; read from AUTOINCREMENT's counter at the first append. */
	#nextId: number | undefined;

	constructor(
		private readonly db: JournaledDatabase,
		/** The group's member names now (cached by the store, which clears it on every change). */
		private readonly membersOf: (groupId: number) => readonly string[],
		/** Told of every edit and delete, with the message as it was (search-index-host.ts). */
		private readonly searchIndex: MessageIndexChanges,
	) {}

	append(
		message: NewMessage,
		conversation: string,
		groupId: number | null,
		sendId?: string,
	): AppendedMessage {
		const recipients =
			groupId !== null
				? this.membersOf(groupId)
				: message.to === message.from
					? [message.to]
					: [message.to, message.from];
		if (sendId !== undefined) {
			const earlier = this.#earlierSend(message, sendId);
			if (earlier) return { message: earlier, recipients, repeated: true };
		}
		const replyTo = message.replyTo ?? null;
		// The id is given, not taken from AUTOINCREMENT through RETURNING: a statement with RETURNING
		// opens a savepoint (when the search index lived in this database, FTS4 flushed its pending
		// terms into a new segment at each, ~60 µs a message). Given ids also replay exactly.
		// sqlite_sequence still follows them.
		const id = (this.#nextId ??= this.lastId() + 1);
		try {
			this.db.write((tx) => {
				tx.run(
					`INSERT INTO messages (id, conversation, sender, recipient, group_name, body, date, reply_to)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					[
						id,
						conversation,
						message.from,
						message.to,
						message.group,
						message.body,
						message.date,
						replyTo,
					],
				);
				// A direct message needs no inbox row: see pendingQuery.
				if (groupId !== null) {
					// One statement queues it for every member, the sender too: SQLite inserts the rows,
					// not a JS loop, and the journal holds one entry that replays against the same members.
					tx.run(
						'INSERT INTO inbox (user, message_id) SELECT user, ? FROM members WHERE group_id = ?',
						[id, groupId],
					);
				}
				if (sendId !== undefined) this.#rememberSend(tx, message, sendId, id);
			});
		} catch (error) {
			// Rolled back: read the counter again at the next append.
			this.#nextId = undefined;
			throw error;
		}
		this.#nextId = id + 1;
		const stored = { id, ...message, replyTo };
		this.searchIndex.added(indexedMessage(stored, conversation));
		return { message: stored, recipients, repeated: false };
	}

	/** The message sent earlier with this Send-Id, within its lifetime. */
	#earlierSend(message: NewMessage, sendId: string): MessageRecord | undefined {
		const since = Date.parse(message.date) - sendIdLifetimeMs;
		const row = this.db.get<{ message_id: number }>(
			'SELECT message_id FROM send_ids WHERE user = ? AND send_id = ? AND created_at > ?',
			[message.from, sendId, since],
		);
		if (!row) return undefined;
		const stored = this.find(row.message_id);
		// Its group may have been deleted since: the answer is still the same id.
		return stored
			? stored.message
			: { id: row.message_id, ...message, replyTo: message.replyTo ?? null };
	}

	#rememberSend(tx: SqlWriter, message: NewMessage, sendId: string, id: number): void {
		const at = Date.parse(message.date);
		tx.run(
			`INSERT INTO send_ids (user, send_id, message_id, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (user, send_id) DO UPDATE SET message_id = excluded.message_id,
				created_at = excluded.created_at`,
			[message.from, sendId, id, at],
		);
		if (++this.#sendIdsSinceSweep >= sendIdSweepEvery) {
			this.#sendIdsSinceSweep = 0;
			tx.run('DELETE FROM send_ids WHERE created_at <= ?', [at - sendIdLifetimeMs]);
		}
	}

	lastId(): number {
		return lastMessageId(this.db);
	}

	find(id: number): LocatedMessage | undefined {
		const row = this.db.get<LocatedRow>(
			`SELECT ${messageColumns}, m.conversation FROM messages m WHERE m.id = ?`,
			[id],
		);
		if (!row) return undefined;
		const groupId = row.group_name === null ? null : Number(row.conversation.slice(2));
		return { message: toMessage(row), conversation: row.conversation, groupId };
	}

	edit(id: number, body: string, editedAt: string): MessageRecord | undefined {
		const located = this.find(id);
		if (!located || located.message.deleted) return undefined;
		const before = indexedMessage(located.message, located.conversation);
		this.db.write((tx) => {
			this.searchIndex.remember(tx, [before]);
			tx.run('UPDATE messages SET body = ?, edited = ? WHERE id = ? AND deleted = 0', [
				body,
				editedAt,
				id,
			]);
		});
		this.searchIndex.edited(before, { ...before, body });
		return { ...located.message, body, edited: editedAt };
	}

	delete(id: number): MessageRecord | undefined {
		const located = this.find(id);
		if (!located || located.message.deleted) return undefined;
		const before = indexedMessage(located.message, located.conversation);
		this.db.write((tx) => {
			this.searchIndex.remember(tx, [before]);
			tx.run("UPDATE messages SET body = '', deleted = 1 WHERE id = ? AND deleted = 0", [id]);
			tx.run('DELETE FROM inbox WHERE message_id = ?', [id]);
		});
		this.searchIndex.deleted([before]);
		return { ...located.message, body: '', deleted: true };
	}

	history(conversation: string, before: number | undefined, limit: number): MessageRecord[] {
		const rows = this.db.all<MessageRow>(
			`SELECT ${messageColumns} FROM messages m
			WHERE m.conversation = ? AND m.id < ? ORDER BY m.id DESC LIMIT ?`,
			[conversation, before ?? Number.MAX_SAFE_INTEGER, limit],
		);
		return rows.reverse().map(toMessage);
	}

	pending(user: string, afterId: number, limit: number): MessageRecord[] {
		return this.db.all<MessageRow>(pendingQuery, [user, afterId, limit]).map(toMessage);
	}

	queueDepth(): number {
		return this.db.get<{ depth: number }>(queueDepthQuery)?.depth ?? 0;
	}

	acknowledge(user: string, uptoId: number): void {
		this.db.write((tx) => {
			tx.run('DELETE FROM inbox WHERE user = ? AND message_id <= ?', [user, uptoId]);
			tx.run(
				`INSERT INTO direct_cursors (user, acknowledged) VALUES (?, ?)
				ON CONFLICT (user) DO UPDATE SET acknowledged = excluded.acknowledged
				WHERE excluded.acknowledged > acknowledged`,
				[user, uptoId],
			);
		});
	}
}
