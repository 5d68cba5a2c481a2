import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { JournaledDatabase } from './journaled-database.js';
import type { IndexedMessage } from './search-index-core.js';
import { toIndexed, type IndexedRow } from './search-index-feed.js';
import type { SqlWriter } from './sql-types.js';

/** A saved search index: its file, the token inside it, and the newest id it had been sent. */
export type Checkpoint = {
	readonly generation: number;
	readonly token: string;
	readonly through: number;
};

const remember = `INSERT OR IGNORE INTO search_index_changes
	(generation, id, conversation, sender, recipient, group_name, body) VALUES (?, ?, ?, ?, ?, ?, ?)`;

/** A search index file (or one half-written) in the data folder: its generation, else undefined. */
export function searchIndexGeneration(name: string): number | undefined {
	const generation = /^search-index\.(\d+)\.db(\.tmp)?$/.exec(name)?.[1];
	return generation === undefined ? undefined : Number(generation);
}

/** The file of a checkpoint's index in the data folder. */
export const checkpointFile = (dir: string, generation: number) =>
	join(dir, `search-index.${generation}.db`);

/**
 * Which saved search index file the chat database vouches for, and what changed since: the search
 * index (search-index-host.ts) is never journaled, so the chat database keeps, in journaled rows,
 * the checkpoint it may be loaded from (search_index_state) and every message of that checkpoint
 * edited or deleted since, as it was in the file (search_index_changes, the first change of each
 * message only). Loading the file then taking those out and putting their present text back gives
 * the index of the database as it is, after a crash too; messages above `through` are read anew.
 *
 * A new checkpoint is written while the old one stays valid: changes are remembered for both
 * until the new one commits (one journaled write that points at it and forgets the old one's
 * changes) or is abandoned.
 */
export class SearchIndexCheckpoints {
	#current: Checkpoint | undefined;
	#next: Checkpoint | undefined;

	constructor(private readonly db: JournaledDatabase) {
		this.#current = db.get<Checkpoint>('SELECT generation, token, through FROM search_index_state');
	}

	/** The checkpoint the database vouches for, if any. */
	get current(): Checkpoint | undefined {
		return this.#current;
	}

	/**
	 * Forgets changes remembered for a checkpoint that never committed (a crash while it was being
	 * written): its generation number is given out again, and its rows must not count for that.
	 */
	discardUncommitted(): void {
		const generation = this.#current?.generation ?? 0;
		const stale = this.db.get('SELECT 1 AS stale FROM search_index_changes WHERE generation > ?', [
			generation,
		]);
		if (!stale) return;
		this.db.write((tx) =>
			tx.run('DELETE FROM search_index_changes WHERE generation > ?', [generation]),
		);
	}

	/** The messages of the current checkpoint changed since, as they were in its file. */
	changedSince(): IndexedMessage[] {
		if (!this.#current) return [];
		return this.db
			.all<IndexedRow>(
				`SELECT id, conversation, sender, recipient, group_name, CAST(body AS BLOB) AS body
				FROM search_index_changes WHERE generation = ? ORDER BY id`,
				[this.#current.generation],
			)
			.map(toIndexed);
	}

	/** Forgets every checkpoint (its file could not be loaded): the index is rebuilt. */
	reset(): void {
		this.#current = this.#next = undefined;
		this.db.write((tx) => {
			tx.run('DELETE FROM search_index_changes');
			tx.run('DELETE FROM search_index_state');
		});
	}

	/**
	 * Inside the write that edits or deletes these messages: remembers each, as it is before the
	 * write, for every checkpoint that holds it.
	 */
	remember(tx: SqlWriter, messages: readonly IndexedMessage[]): void {
		for (const checkpoint of [this.#current, this.#next]) {
			if (!checkpoint) continue;
			for (const message of messages) {
				if (message.id > checkpoint.through) continue;
				tx.run(remember, [
					checkpoint.generation,
					message.id,
					message.conversation,
					message.sender,
					message.recipient,
					message.group,
					message.body,
				]);
			}
		}
	}

	/** A new checkpoint of an index that has been sent every message up to `through`. */
	begin(through: number): Checkpoint {
		const generation = Math.max(this.#current?.generation ?? 0, this.#next?.generation ?? 0) + 1;
		this.#next = { generation, token: randomUUID(), through };
		return this.#next;
	}

	/** The new checkpoint's file is durable: the database now vouches for it instead. */
	commit(checkpoint: Checkpoint): void {
		if (this.#next !== checkpoint) return;
		this.db.write((tx) => {
			tx.run('DELETE FROM search_index_changes WHERE generation < ?', [checkpoint.generation]);
			tx.run('DELETE FROM search_index_state');
			tx.run('INSERT INTO search_index_state (generation, token, through) VALUES (?, ?, ?)', [
				checkpoint.generation,
				checkpoint.token,
				checkpoint.through,
			]);
		});
		this.#current = checkpoint;
		this.#next = undefined;
	}

	/** The new checkpoint's file could not be written: the current one stays. */
	abandon(checkpoint: Checkpoint): void {
		if (this.#next !== checkpoint) return;
		this.#next = undefined;
		this.db.write((tx) =>
			tx.run('DELETE FROM search_index_changes WHERE generation = ?', [checkpoint.generation]),
		);
	}
}
