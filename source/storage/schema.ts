import type { Migration } from './journaled-database.js';

/** The chat's schema, one migration per version; never edit a released one, add the next. */
export const chatMigrations: readonly Migration[] = [
	{
		version: 1,
		up: `
			CREATE TABLE users (
				name TEXT PRIMARY KEY,
				display_name TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				created_at TEXT NOT NULL
			) WITHOUT ROWID;
			CREATE TABLE groups (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				name TEXT NOT NULL UNIQUE,
				owner TEXT NOT NULL,
				created_at TEXT NOT NULL
			);
			CREATE TABLE members (
				group_id INTEGER NOT NULL,
				user TEXT NOT NULL,
				role TEXT NOT NULL,
				PRIMARY KEY (group_id, user)
			) WITHOUT ROWID;
			CREATE INDEX members_by_user ON members (user, group_id);
			CREATE TABLE sessions (
				id_hash TEXT PRIMARY KEY,
				user TEXT NOT NULL,
				created_at INTEGER NOT NULL,
				last_used_at INTEGER NOT NULL
			) WITHOUT ROWID;
			CREATE INDEX sessions_by_last_use ON sessions (last_used_at);
			CREATE TABLE messages (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				conversation TEXT NOT NULL,
				sender TEXT NOT NULL,
				recipient TEXT NOT NULL,
				group_name TEXT,
				body TEXT NOT NULL,
				date TEXT NOT NULL
			);
			CREATE INDEX messages_by_conversation ON messages (conversation, id);
			CREATE TABLE inbox (
				user TEXT NOT NULL,
				message_id INTEGER NOT NULL,
				PRIMARY KEY (user, message_id)
			) WITHOUT ROWID;
		`,
	},
	{
		// A direct message is queued by being stored: it is pending for its recipient while its id is
		// above the recipient's cursor, which ACK moves. Only group messages keep one inbox row per
		// member. The existing direct inbox rows become cursors: ACK is cumulative, so a user's rows
		// are every direct message to them above the last one acknowledged.
		version: 2,
		up: `
			CREATE INDEX messages_direct_by_recipient ON messages (recipient, id)
				WHERE group_name IS NULL;
			CREATE TABLE direct_cursors (
				user TEXT PRIMARY KEY,
				acknowledged INTEGER NOT NULL
			) WITHOUT ROWID;
			INSERT INTO direct_cursors (user, acknowledged)
			SELECT u.name, COALESCE(
				(SELECT MIN(i.message_id) - 1 FROM inbox i JOIN messages m ON m.id = i.message_id
					WHERE i.user = u.name AND m.group_name IS NULL),
				(SELECT MAX(m.id) FROM messages m WHERE m.recipient = u.name AND m.group_name IS NULL),
				0)
			FROM users u;
			DELETE FROM inbox
			WHERE message_id IN (SELECT id FROM messages WHERE group_name IS NULL);
		`,
	},
	{
		// SEND with a Send-Id: a retry within 24 hours answers with the message it stored first.
		version: 3,
		up: `
			CREATE TABLE send_ids (
				user TEXT NOT NULL,
				send_id TEXT NOT NULL,
				message_id INTEGER NOT NULL,
				created_at INTEGER NOT NULL,
				PRIMARY KEY (user, send_id)
			) WITHOUT ROWID;
			CREATE INDEX send_ids_by_age ON send_ids (created_at);
		`,
	},
	{
		// §7: replies, edits and tombstones; own direct messages queued for their sender (pending()
		// reads them by sender); read positions; the search index. A message's FTS docid is its id
		// and its document is the words of searchWords() joined by spaces plus the tokens of
		// search-document.ts. The rows for older messages were filled in batches after this migration,
		// search_backfill holding how far it got; version 6 hands that over to the search indexer.
		version: 4,
		up: `
			ALTER TABLE messages ADD COLUMN reply_to INTEGER;
			ALTER TABLE messages ADD COLUMN edited TEXT;
			ALTER TABLE messages ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
			CREATE INDEX messages_direct_by_sender ON messages (sender, id)
				WHERE group_name IS NULL;
			CREATE TABLE read_positions (
				user TEXT NOT NULL,
				conversation TEXT NOT NULL,
				position INTEGER NOT NULL,
				PRIMARY KEY (user, conversation)
			) WITHOUT ROWID;
			CREATE INDEX read_positions_by_conversation ON read_positions (conversation);
			CREATE VIRTUAL TABLE message_words USING fts4(words, tokenize=simple, order=desc);
			CREATE TABLE search_backfill (
				up_to INTEGER NOT NULL,
				done INTEGER NOT NULL
			);
			INSERT INTO search_backfill (up_to, done) SELECT MAX(id), 0 FROM messages HAVING COUNT(*) > 0;
		`,
	},
	{
		// korichat admin: an operator may shut an account out; its sessions are found by user.
		version: 5,
		up: `
			ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
			CREATE INDEX sessions_by_user ON sessions (user, last_used_at);
		`,
	},
	{
		version: 6,
		// The search index is rebuilt behind the appends (search-indexer.ts): every message with an
		// id up to search_indexed.through is in message_words, which now reads its words from the
		// message_documents view (FTS4 external content: exactly the indexed messages, so SQLite's
		// integrity_check finds index and content alike) instead of keeping a copy of every
		// document, about 400 bytes a message, and keeps no per-document sizes (matchinfo=fts3: the
		// search orders by id, never by rank). search_document() is searchDocument(), registered on
		// every connection (sql-connection.ts). The new index starts empty and the indexer fills it
		// from the oldest message on, in the background and before any search.
		up: `
			DROP TABLE message_words;
			DROP TABLE search_backfill;
			CREATE TABLE search_indexed (through INTEGER NOT NULL);
			INSERT INTO search_indexed (through) VALUES (0);
			CREATE VIEW message_documents AS
				SELECT m.id AS rowid,
					search_document(m.conversation, m.sender, m.recipient, m.group_name, m.body) AS words
				FROM messages m JOIN search_indexed s ON m.id <= s.through
				WHERE m.deleted = 0;
			CREATE VIRTUAL TABLE message_words USING fts4(content="message_documents", words,
				tokenize=simple, order=desc, matchinfo=fts3);
		`,
	},
	{
		version: 7,
		// The search index moves out of this database into its own, on its own thread
		// (search-index-host.ts): indexing a message cost more CPU than the rest of storing it, on
		// the thread every request waits for. The new index is rebuilt from the messages once, in
		// the background. search_index_state names the saved index file this database vouches for
		// (search-index-checkpoints.ts) and search_index_changes holds each message of it edited or
		// deleted since, as it was in the file.
		up: `
			DROP TABLE message_words;
			DROP VIEW message_documents;
			DROP TABLE search_indexed;
			CREATE TABLE search_index_state (
				generation INTEGER NOT NULL,
				token TEXT NOT NULL,
				through INTEGER NOT NULL
			);
			CREATE TABLE search_index_changes (
				generation INTEGER NOT NULL,
				id INTEGER NOT NULL,
				conversation TEXT NOT NULL,
				sender TEXT NOT NULL,
				recipient TEXT NOT NULL,
				group_name TEXT,
				body TEXT NOT NULL,
				PRIMARY KEY (generation, id)
			) WITHOUT ROWID;
		`,
	},
];
