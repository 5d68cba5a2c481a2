import { searchDocument, type SearchableMessage } from './search-document.js';
import { SqlConnection } from './sql-connection.js';

/** A message as the search index takes it in: its id (the FTS docid) and what its words come from. */
export type IndexedMessage = SearchableMessage & { readonly id: number };

/** What changes the index, in the order the chat store made the changes. */
export type IndexChange =
	/** New messages, and the id every message up to which has now been sent (deleted ones skipped). */
	| { readonly kind: 'add'; readonly messages: readonly IndexedMessage[]; readonly through: number }
	/** A message's entry out, given as it was indexed (an edit sends 'remove' then 'add'). */
	| { readonly kind: 'remove'; readonly messages: readonly IndexedMessage[] };

// The index holds no copy of the documents (FTS4 external content, ~400 bytes a message): a query
// asks for docids only. FTS4 takes an entry out by reading the words it was indexed with from the
// content table, so for the moment of a delete that table holds them, made again by
// searchDocument() from the message as it was.
const schema = `
	CREATE TABLE IF NOT EXISTS no_documents (words TEXT);
	CREATE VIRTUAL TABLE IF NOT EXISTS message_words USING fts4(content="no_documents", words,
		tokenize=simple, order=desc, matchinfo=fts3);
	CREATE TABLE IF NOT EXISTS index_state (
		through INTEGER NOT NULL,
		entries INTEGER NOT NULL,
		token TEXT
	);
	INSERT INTO index_state (through, entries, token)
		SELECT 0, 0, NULL WHERE NOT EXISTS (SELECT 1 FROM index_state);
`;

const addEntry = 'INSERT INTO message_words (docid, words) VALUES (?, ?)';
const putDocument = 'INSERT INTO no_documents (rowid, words) VALUES (?, ?)';
const removeEntry = 'DELETE FROM message_words WHERE docid = ?';
const dropDocument = 'DELETE FROM no_documents WHERE rowid = ?';
const matching =
	'SELECT docid FROM message_words WHERE words MATCH ? AND docid < ? ORDER BY docid DESC LIMIT ?';
// A level holding at least ?1 segments (FTS4 reads every segment for every query token).
const unmergedLevel =
	'SELECT 1 AS unmerged FROM message_words_segdir GROUP BY level HAVING COUNT(*) >= ? LIMIT 1';

/**
 * The search index itself: one FTS4 table in a sql.js database of its own, kept apart from the
 * chat's so that indexing (more CPU than the rest of a message's storage together) runs on
 * another thread (search-index-worker.ts). It is a cache of the messages table: never journaled,
 * saved as checkpoints the chat database vouches for (search-index-checkpoints.ts), rebuilt from
 * the messages without one. Tokens are those of search-document.ts.
 */
export class SearchIndexCore {
	private constructor(private readonly db: SqlConnection) {
		db.exec(schema);
	}

	/** An empty index, or the one in `image` (a file written by image()). */
	static async open(image?: Uint8Array): Promise<SearchIndexCore> {
		return new SearchIndexCore(await SqlConnection.create(image));
	}

	/** Every message with an id up to this one has been added (or was deleted before it could be). */
	get through(): number {
		return this.db.get<{ through: number }>('SELECT through FROM index_state')!.through;
	}

	/** Messages in the index now. */
	get entries(): number {
		return this.db.get<{ entries: number }>('SELECT entries FROM index_state')!.entries;
	}

	/** The token the image was saved with (see search-index-host.ts), or null. */
	get token(): string | null {
		return this.db.get<{ token: string | null }>('SELECT token FROM index_state')!.token;
	}

	/** Applies changes in order, in one transaction; returns how many entries were written. */
	apply(changes: readonly IndexChange[]): number {
		let added = 0;
		let removed = 0;
		let through = 0;
		this.db.begin();
		try {
			for (const change of changes) {
				for (const message of change.messages) {
					if (change.kind === 'add') {
						this.db.run(addEntry, [message.id, searchDocument(message)]);
					} else {
						this.db.run(putDocument, [message.id, searchDocument(message)]);
						this.db.run(removeEntry, [message.id]);
						this.db.run(dropDocument, [message.id]);
					}
				}
				if (change.kind === 'add') {
					added += change.messages.length;
					through = Math.max(through, change.through);
				} else {
					removed += change.messages.length;
				}
			}
			this.db.run('UPDATE index_state SET entries = entries + ?, through = max(through, ?)', [
				added - removed,
				through,
			]);
			this.db.commit();
		} catch (error) {
			this.db.rollback();
			throw error;
		}
		return added + removed;
	}

	/**
	 * Ids of indexed messages below `before` matching any of the MATCH expressions, newest first,
	 * `limit` at most (each expression is the same query over other scopes, see sql-search.ts).
	 */
	candidates(expressions: readonly string[], before: number, limit: number): number[] {
		const ids = new Set<number>();
		for (const expression of expressions) {
			for (const row of this.db.all<{ docid: number }>(matching, [expression, before, limit])) {
				ids.add(row.docid);
			}
		}
		const newestFirst = [...ids].sort((a, b) => b - a);
		return newestFirst.slice(0, limit);
	}

	/**
	 * FTS4's integrity check against `messages`, which must be exactly the indexed ones as they
	 * are now (tests); throws if the index differs. Changes nothing.
	 */
	verify(messages: readonly IndexedMessage[]): void {
		this.db.begin();
		try {
			for (const message of messages) {
				this.db.run(putDocument, [message.id, searchDocument(message)]);
			}
			this.db.run("INSERT INTO message_words (message_words) VALUES ('integrity-check')");
		} finally {
			this.db.rollback();
		}
	}

	/** True when a level holds at least `fanIn` segments. */
	needsMerging(fanIn: number): boolean {
		return this.db.get(unmergedLevel, [fanIn]) !== undefined;
	}

	/** One incremental merge step; false when it merged nothing (under two rows changed). */
	mergeStep(pages: number, fanIn: number): boolean {
		const before = this.db.get<{ n: number }>('SELECT total_changes() AS n')!.n;
		this.db.run('INSERT INTO message_words (message_words) VALUES (?)', [
			`merge=${pages},${fanIn}`,
		]);
		return this.db.get<{ n: number }>('SELECT total_changes() AS n')!.n - before >= 2;
	}

	/** Segments by level (level → count). */
	segments(): Map<number, number> {
		const rows = this.db.all<{ level: number; count: number }>(
			'SELECT level, COUNT(*) AS count FROM message_words_segdir GROUP BY level ORDER BY level',
		);
		return new Map(rows.map((row) => [row.level, row.count]));
	}

	/** The whole index as a file, carrying `token`. */
	image(token: string): Uint8Array {
		this.db.run('UPDATE index_state SET token = ?', [token]);
		try {
			return this.db.export();
		} finally {
			this.db.run('UPDATE index_state SET token = NULL');
		}
	}

	close(): void {
		this.db.close();
	}
}
