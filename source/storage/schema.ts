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
];
