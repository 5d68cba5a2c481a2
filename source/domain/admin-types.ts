/**
 * What `korichat admin` asks of a server (or of a data folder or database opened directly): the
 * operator's view of accounts, groups and storage. Plain JSON-able values, so that the same shapes
 * travel over the control socket.
 */

export type AdminUser = {
	readonly name: string;
	readonly displayName: string;
	/** ISO date. */
	readonly createdAt: string;
	/** ISO date of the most recent use of any of the user's sessions; null when they have none. */
	readonly lastSeen: string | null;
	/** Live sessions (cookies that still log in). */
	readonly sessions: number;
	readonly disabled: boolean;
};

export type AdminGroup = {
	readonly name: string;
	readonly owner: string;
	readonly createdAt: string;
	readonly members: number;
	readonly messages: number;
};

export type AdminSession = {
	/** The first 12 characters of the session id's hash: enough to tell sessions apart, useless to log in. */
	readonly fingerprint: string;
	readonly createdAt: string;
	readonly lastUsedAt: string;
};

export type AdminStats = {
	readonly users: number;
	readonly groups: number;
	readonly messages: number;
	/** Queue entries not yet acknowledged, over every user. */
	readonly queueDepth: number;
	/** sql.js: snapshot.db plus journals; PostgreSQL: pg_database_size. */
	readonly databaseBytes: number;
	/** sql.js: the journal files' bytes; null for PostgreSQL. */
	readonly journalBytes: number | null;
	/** Connections and logged-in users of the running server; null when no server answered. */
	readonly connections: number | null;
	readonly loggedInUsers: number | null;
};

/**
 * The admin commands. Every change is written to the server log by whoever implements it, and
 * names a user or group that does not exist with an AdminError (a clear one-line reason).
 */
export interface AdminCommands {
	users(): Promise<AdminUser[]>;
	groups(): Promise<AdminGroup[]>;
	createUser(name: string, password: string, displayName?: string): Promise<AdminUser>;
	/** Sets a new password and ends every session of the user (their connections are logged out). */
	resetPassword(name: string, password: string): Promise<{ readonly endedSessions: number }>;
	/** A disabled user cannot log in (USE answers 403); their sessions end at once; their messages stay. */
	disable(name: string): Promise<{ readonly endedSessions: number }>;
	enable(name: string): Promise<void>;
	/** Deletes the group as RM_GROUP does: members are told, its messages go. */
	deleteGroup(name: string): Promise<void>;
	sessions(name: string): Promise<AdminSession[]>;
	stats(): Promise<AdminStats>;
}

/** An admin command that cannot be done as asked: unknown user, taken name, bad password. */
export class AdminError extends Error {
	override readonly name = 'AdminError';
}
