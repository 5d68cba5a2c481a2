import type { Sql } from 'postgres';
import { notFound } from '../../domain/errors.js';
import { sendIdLifetimeMs } from '../../domain/send-ids.js';
import type { AppendedMessage } from '../../domain/store.js';
import type { MessageRecord, NewMessage } from '../../domain/types.js';
import { messageColumns, toMessage, type MessageRow } from './postgres-rows.js';
import { indexedWords, searchVectorSql } from './postgres-search.js';
import { transaction, type Tx } from './transaction.js';

export type AppendRequest = {
	readonly message: NewMessage;
	readonly conversation: string;
	readonly groupId: number | null;
	readonly sendId?: string | undefined;
};

type Waiting = AppendRequest & {
	resolve(result: AppendedMessage): void;
	reject(error: unknown): void;
};

type Db = Sql<Record<string, unknown>>;
type EarlierRow = Omit<MessageRow, 'id'> & {
	id: number | null;
	user_name: string;
	send_id: string;
	message_id: number;
	created_at: number;
};
/** What one request of a batch turns into: a new message with its id, a repeat, or a refusal. */
type Outcome =
	| { kind: 'new'; id: number }
	| { kind: 'repeat'; message: MessageRecord }
	| { kind: 'repeat-in-batch'; of: number }
	| { kind: 'refused'; error: Error };

export type AppenderOptions = {
	/** Most messages written by one transaction. */
	readonly maxBatch: number;
	/** Test seam: runs inside each batch's transaction, after its writes, before COMMIT. */
	readonly beforeCommit?: (() => Promise<void>) | undefined;
	readonly toError: (error: unknown) => unknown;
};

// Expired Send-Ids are swept every this many new messages that carry one.
const sendIdSweepEvery = 1000;
const sendKey = (user: string, sendId: string) => `${user}\n${sendId}`;
/** The record of a message as written, in the shape reads give (toMessage). */
const asStored = (id: number, message: NewMessage): MessageRecord => ({
	id,
	...message,
	replyTo: message.replyTo ?? null,
});
/** §7.1: a direct message is queued for both its parties, once when they are the same user. */
const directRecipients = ({ from, to }: NewMessage) => (from === to ? [to] : [from, to].sort());

/**
 * Writes messages in batches: the appends that arrive while a batch is being written (or in the
 * same turn of the event loop) share the next transaction, one counter update and multi-row
 * inserts. The counter row stays locked until COMMIT, so transactions on every node commit in
 * id order with none skipped, and each batch pays that serial section once, not per message.
 */
export class MessageAppender {
	#queue: Waiting[] = [];
	#draining: Promise<void> | undefined;
	#scheduled = false;
	#sendIdsSinceSweep = 0;

	constructor(
		readonly sql: Db,
		readonly options: AppenderOptions,
	) {}

	append(request: AppendRequest): Promise<AppendedMessage> {
		return new Promise((resolve, reject) => {
			this.#queue.push({ ...request, resolve, reject });
			if (this.#scheduled || this.#draining) return;
			this.#scheduled = true;
			setImmediate(() => {
				this.#scheduled = false;
				this.#draining = this.#drain();
			});
		});
	}

	/** Resolves once every append queued so far has settled. */
	async idle(): Promise<void> {
		while (this.#scheduled || this.#draining) {
			await (this.#draining ?? new Promise((resolve) => setImmediate(resolve)));
		}
	}

	async #drain(): Promise<void> {
		while (this.#queue.length > 0) {
			const batch = this.#queue.splice(0, this.options.maxBatch);
			try {
				const results = await transaction(this.sql, (tx) => this.#write(tx, batch));
				batch.forEach((waiting, index) => {
					const result = results[index]!;
					if (result instanceof Error) waiting.reject(result);
					else waiting.resolve(result);
				});
			} catch (error) {
				const mapped = this.options.toError(error);
				for (const waiting of batch) waiting.reject(mapped);
			}
		}
		this.#draining = undefined;
	}

	async #write(tx: Tx, batch: readonly Waiting[]): Promise<(AppendedMessage | Error)[]> {
		const groupIds = [...new Set(batch.flatMap((w) => (w.groupId === null ? [] : [w.groupId])))];
		const sends = batch.filter((w) => w.sendId !== undefined);
		// One round trip: the groups are kept from being deleted under us (a deleting change waits),
		// then the counter is locked, then Send-Ids are read; after the lock, every earlier append
		// (on any node) has committed, so a retry that raced its first try sees it.
		const [live, [counter], earlier] = await Promise.all([
			groupIds.length === 0
				? []
				: tx<{ id: number }[]>`
					SELECT id FROM groups WHERE id = ANY(${groupIds}::int4[]) FOR KEY SHARE`,
			tx<{ last: number }[]>`SELECT last FROM message_counter FOR UPDATE`,
			sends.length === 0
				? []
				: tx<EarlierRow[]>`
					SELECT s.user_name, s.send_id, s.message_id, s.created_at, ${tx.unsafe(messageColumns)}
					FROM unnest(${sends.map((w) => w.message.from)}::text[],
						${sends.map((w) => w.sendId!)}::text[]) AS w (user_name, send_id)
					JOIN send_ids s USING (user_name, send_id)
					LEFT JOIN messages m ON m.id = s.message_id`,
		]);
		const outcomes = this.#decide(
			batch,
			counter!.last,
			new Set(live.map((row) => row.id)),
			earlier,
		);
		const fresh = batch.flatMap((w, index) => {
			const outcome = outcomes[index]!;
			return outcome.kind === 'new' ? [{ ...w, id: outcome.id }] : [];
		});
		const recipients = await this.#insert(tx, fresh, counter!.last);
		const repeatGroups = batch.filter((w, i) => outcomes[i]!.kind !== 'new' && w.groupId !== null);
		const members =
			repeatGroups.length === 0
				? []
				: await tx<{ group_id: number; user_name: string }[]>`
					SELECT group_id, user_name FROM members
					WHERE group_id = ANY(${repeatGroups.map((w) => w.groupId!)}::int4[])`;
		await this.options.beforeCommit?.();
		const currentRecipients = (w: Waiting) =>
			w.groupId === null
				? directRecipients(w.message)
				: members
						.filter((m) => m.group_id === w.groupId)
						.map((m) => m.user_name)
						.sort();
		return outcomes.map((outcome, index) => {
			const w = batch[index]!;
			switch (outcome.kind) {
				case 'refused':
					return outcome.error;
				case 'new':
					return {
						message: asStored(outcome.id, w.message),
						recipients:
							w.groupId === null
								? directRecipients(w.message)
								: (recipients.get(outcome.id) ?? []).sort(),
						repeated: false,
					};
				case 'repeat':
					return { message: outcome.message, recipients: currentRecipients(w), repeated: true };
				case 'repeat-in-batch': {
					const first = outcomes[outcome.of] as { id: number };
					const message = asStored(first.id, batch[outcome.of]!.message);
					return { message, recipients: currentRecipients(w), repeated: true };
				}
			}
		});
	}

	/** Which requests are new (and their ids, from `last` on), repeats of a Send-Id, or refused. */
	#decide(
		batch: readonly Waiting[],
		last: number,
		liveGroups: ReadonlySet<number>,
		earlier: readonly EarlierRow[],
	): Outcome[] {
		const stored = new Map(earlier.map((row) => [sendKey(row.user_name, row.send_id), row]));
		const inBatch = new Map<string, number>();
		let next = last;
		return batch.map((w, index): Outcome => {
			if (w.sendId !== undefined) {
				const key = sendKey(w.message.from, w.sendId);
				const row = stored.get(key);
				if (row && row.created_at > Date.parse(w.message.date) - sendIdLifetimeMs) {
					// Its group may have been deleted since: the answer is still the same id.
					const message =
						row.id === null
							? asStored(row.message_id, w.message)
							: toMessage({ ...row, id: row.id });
					return { kind: 'repeat', message };
				}
				const first = inBatch.get(key);
				if (first !== undefined) return { kind: 'repeat-in-batch', of: first };
			}
			if (w.groupId !== null && !liveGroups.has(w.groupId)) {
				return { kind: 'refused', error: notFound(`no group named "${w.message.group ?? ''}"`) };
			}
			if (w.sendId !== undefined) inBatch.set(sendKey(w.message.from, w.sendId), index);
			return { kind: 'new', id: ++next };
		});
	}

	/**
	 * Writes the new messages with their search vectors, their queue rows (every member of a
	 * group, the sender too) and Send-Ids; returns each group message's recipients.
	 */
	async #insert(
		tx: Tx,
		fresh: readonly (Waiting & { id: number })[],
		last: number,
	): Promise<Map<number, string[]>> {
		const recipients = new Map<number, string[]>();
		if (fresh.length === 0) return recipients;
		const grouped = fresh.filter((w) => w.groupId !== null);
		const sends = fresh.filter((w) => w.sendId !== undefined);
		const column = <T>(
			rows: readonly (Waiting & { id: number })[],
			pick: (w: Waiting & { id: number }) => T,
		) => rows.map(pick);
		const writes = [
			tx<{ last: number }[]>`
				UPDATE message_counter SET last = last + ${fresh.length} RETURNING last`,
			tx`
				INSERT INTO messages (id, conversation, sender, recipient, group_name, body, date,
					reply_to, search_vector)
				SELECT id, conversation, sender, recipient, group_name, decode(body, 'base64'), date,
					reply_to, ${tx.unsafe(searchVectorSql('words'))}
				FROM unnest(${column(fresh, (w) => w.id)}::int8[],
					${column(fresh, (w) => w.conversation)}::text[],
					${column(fresh, (w) => w.message.from)}::text[],
					${column(fresh, (w) => w.message.to)}::text[],
					${column(fresh, (w) => w.message.group)}::text[],
					${column(fresh, (w) => Buffer.from(w.message.body, 'utf8').toString('base64'))}::text[],
					${column(fresh, (w) => w.message.date)}::text[],
					${column(fresh, (w) => w.message.replyTo ?? null)}::int8[],
					${column(fresh, (w) => indexedWords(w.message.body))}::text[])
					AS x (id, conversation, sender, recipient, group_name, body, date, reply_to, words)`,
			grouped.length === 0
				? undefined
				: tx<{ user_name: string; message_id: number }[]>`
					INSERT INTO inbox (user_name, message_id)
					SELECT mb.user_name, x.id
					FROM unnest(${column(grouped, (w) => w.id)}::int8[],
						${column(grouped, (w) => w.groupId!)}::int4[]) AS x (id, group_id)
					JOIN members mb ON mb.group_id = x.group_id
					RETURNING user_name, message_id`,
			sends.length === 0
				? undefined
				: tx`
					INSERT INTO send_ids (user_name, send_id, message_id, created_at)
					SELECT * FROM unnest(${column(sends, (w) => w.message.from)}::text[],
						${column(sends, (w) => w.sendId!)}::text[],
						${column(sends, (w) => w.id)}::int8[],
						${column(sends, (w) => Date.parse(w.message.date))}::int8[])
					ON CONFLICT (user_name, send_id) DO UPDATE
					SET message_id = excluded.message_id, created_at = excluded.created_at`,
		];
		this.#sendIdsSinceSweep += sends.length;
		if (sends.length > 0 && this.#sendIdsSinceSweep >= sendIdSweepEvery) {
			this.#sendIdsSinceSweep = 0;
			const at = Date.parse(sends.at(-1)!.message.date);
			writes.push(tx`DELETE FROM send_ids WHERE created_at <= ${at - sendIdLifetimeMs}`);
		}
		const [[counter], , queued] = (await Promise.all(writes)) as [
			{ last: number }[],
			unknown,
			{ user_name: string; message_id: number }[] | undefined,
		];
		// The row was locked when read: anything else means the ids just written are not ours.
		if (counter?.last !== last + fresh.length) {
			throw new Error(`message counter moved under its lock: ${last} + ${fresh.length}`);
		}
		for (const { user_name, message_id } of queued ?? []) {
			const list = recipients.get(message_id) ?? [];
			list.push(user_name);
			recipients.set(message_id, list);
		}
		return recipients;
	}
}
