import type { Migration } from '../sql-types.js';

/**
 * The chat's PostgreSQL schema, one migration per version; never edit a released one, add the next.
 * Names sort as bytes (COLLATE "C"), as in SQLite. Bodies are BYTEA: TEXT cannot hold a NUL.
 */
export const postgresMigrations: readonly Migration[] = [
	{
		version: 1,
		up: `
			-- Users and groups share one namespace: a name is taken once, by either.
			CREATE TABLE names (
				name TEXT COLLATE "C" PRIMARY KEY,
				kind TEXT NOT NULL CHECK (kind IN ('user', 'group'))
			);
			CREATE TABLE users (
				name TEXT COLLATE "C" PRIMARY KEY REFERENCES names (name),
				display_name TEXT NOT NULL,
				password_hash TEXT NOT NULL,
				created_at TEXT NOT NULL
			);
			CREATE TABLE groups (
				id INTEGER GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
				name TEXT COLLATE "C" NOT NULL UNIQUE REFERENCES names (name),
				owner TEXT COLLATE "C" NOT NULL,
				created_at TEXT NOT NULL
			);
			CREATE TABLE members (
				group_id INTEGER NOT NULL,
				user_name TEXT COLLATE "C" NOT NULL,
				role TEXT NOT NULL,
				PRIMARY KEY (group_id, user_name)
			);
			CREATE INDEX members_by_user ON members (user_name, group_id);
			CREATE TABLE sessions (
				id_hash TEXT PRIMARY KEY,
				user_name TEXT COLLATE "C" NOT NULL,
				created_at BIGINT NOT NULL,
				last_used_at BIGINT NOT NULL
			);
			CREATE INDEX sessions_by_last_use ON sessions (last_used_at);
			-- One row: the last message id handed out. Its row lock, held until commit, makes
			-- appends commit in id order with none skipped.
			CREATE TABLE message_counter (
				only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
				last BIGINT NOT NULL
			);
			INSERT INTO message_counter (last) VALUES (0);
			CREATE TABLE messages (
				id BIGINT PRIMARY KEY,
				conversation TEXT COLLATE "C" NOT NULL,
				sender TEXT COLLATE "C" NOT NULL,
				recipient TEXT COLLATE "C" NOT NULL,
				group_name TEXT COLLATE "C",
				body BYTEA NOT NULL,
				date TEXT NOT NULL
			);
			CREATE INDEX messages_by_conversation ON messages (conversation, id);
			CREATE INDEX messages_direct_by_recipient ON messages (recipient, id)
				WHERE group_name IS NULL;
			-- Group messages only: a direct message is pending while above its recipient's cursor.
			CREATE TABLE inbox (
				user_name TEXT COLLATE "C" NOT NULL,
				message_id BIGINT NOT NULL,
				PRIMARY KEY (user_name, message_id)
			);
			CREATE INDEX inbox_by_message ON inbox (message_id);
			CREATE TABLE direct_cursors (
				user_name TEXT COLLATE "C" PRIMARY KEY,
				acknowledged BIGINT NOT NULL
			);
			CREATE TABLE send_ids (
				user_name TEXT COLLATE "C" NOT NULL,
				send_id TEXT COLLATE "C" NOT NULL,
				message_id BIGINT NOT NULL,
				created_at BIGINT NOT NULL,
				PRIMARY KEY (user_name, send_id)
			);
			CREATE INDEX send_ids_by_age ON send_ids (created_at);
		`,
	},
	{
		version: 2,
		// §7. The search vectors of messages written before this version are filled by code after
		// it (postgres-search-backfill.ts): SQL cannot run domain/search-words.ts.
		up: `
			CREATE TABLE read_positions (
				user_name TEXT COLLATE "C" NOT NULL,
				conversation TEXT COLLATE "C" NOT NULL,
				position BIGINT NOT NULL,
				PRIMARY KEY (user_name, conversation)
			);
			CREATE INDEX read_positions_by_conversation ON read_positions (conversation);
			ALTER TABLE messages
				ADD COLUMN reply_to BIGINT,
				ADD COLUMN edited TEXT,
				ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE,
				-- array_to_tsvector of searchWords(body) (postgres-search.ts), never to_tsvector:
				-- both stores index the same words, whatever the locale. NULL for a tombstone, or a
				-- message not indexed yet.
				ADD COLUMN search_vector TSVECTOR;
			-- Your own direct messages are queued for you too (§7.1).
			CREATE INDEX messages_direct_by_sender ON messages (sender, id) WHERE group_name IS NULL;
			-- No pending list (fastupdate): every search would scan it all, up to 4 MB (~8 ms at
			-- 1M messages), until a vacuum merges it; an append updates the index itself instead.
			CREATE INDEX messages_search ON messages USING GIN (search_vector) WITH (fastupdate = off);
			-- A finer word census for the planner (~10,000 words instead of ~1,000): how many rows a
			-- word or a prefix matches decides between reading the GIN index and walking ids down.
			ALTER TABLE messages ALTER COLUMN search_vector SET STATISTICS 1000;
			-- Empty once the backfill is done, so finding what is left costs nothing at each start.
			CREATE INDEX messages_unindexed ON messages (id)
				WHERE search_vector IS NULL AND NOT deleted;
		`,
	},
	{
		version: 3,
		// korichat admin: an operator may shut an account out; its sessions are found by user.
		up: `
			ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;
			CREATE INDEX sessions_by_user ON sessions (user_name, last_used_at);
		`,
	},
	{
		version: 4,
		// The health probe commits an UPDATE of this one row every second (probeWritable): only a
		// real write shows a read-only database, a commit that never returns (a synchronous
		// standby gone) or a WAL that cannot be flushed.
		up: `
			CREATE TABLE health_probe (
				id INTEGER PRIMARY KEY CHECK (id = 1),
				probed_at BIGINT NOT NULL
			);
			INSERT INTO health_probe (id, probed_at) VALUES (1, 0);
		`,
	},
];
