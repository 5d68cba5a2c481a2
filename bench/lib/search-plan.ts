import { directConversation } from '../../source/domain/conversations.js';
import { searchWords } from '../../source/domain/search-words.js';
import type { ChatStore } from '../../source/domain/store.js';
import { fillStore } from './fixture.js';
import { isParty, type SearchCorpus } from './search-corpus.js';

/** One timed request: `SEARCH [target]` with `Query: query`. */
export type SearchRequest = { readonly target?: string; readonly query: string };

export const searchKinds = [
	'rare word',
	'common word',
	'prefix',
	'two words',
	'common word, one group',
	'rare word, one direct conversation',
] as const;
export type SearchKind = (typeof searchKinds)[number];

/** The query kinds of the bench, each a list of requests to cycle through. */
export type SearchQueries = Readonly<Record<SearchKind, readonly SearchRequest[]>>;

/** What a built store holds, and what to ask it. */
export type SearchFixture = {
	/** The session of user 0, the one who searches. */
	readonly cookie: string;
	readonly messages: number;
	/** How many of them user 0 may read (their direct messages and groups). */
	readonly readable: number;
	readonly conversations: { readonly direct: number; readonly groups: number };
	readonly queries: SearchQueries;
	readonly buildMs: number;
	/** Where the build time went: accounts and groups, messages, acknowledging, merging the search index (sql.js), closing. */
	readonly phasesMs: Readonly<
		Record<'accounts' | 'messages' | 'acknowledge' | 'merge' | 'close', number>
	>;
};

export const groupName = (index: number) => `grp${String(index).padStart(4, '0')}`;

/** A corpus message as a store row: names and conversation keys instead of indexes. */
export type StoredMessage = {
	readonly conversation: string;
	readonly sender: string;
	readonly recipient: string;
	readonly group: string | null;
	readonly body: string;
	readonly date: string;
};

type ConversationKey = { readonly key: string; readonly group: string | null };

/**
 * The store-independent part of a search fixture: users, user 0's session and the groups go in
 * through the ChatStore interface; the messages come out as rows for a bulk insert, while the
 * words user 0 can read are counted (rare-word queries are picked from those).
 */
export class SearchPlan {
	readonly cookie = crypto.randomUUID();
	readonly #readableCounts = new Map<number, number>();
	#readable = 0;

	private constructor(
		readonly corpus: SearchCorpus,
		readonly users: readonly string[],
		readonly keys: readonly ConversationKey[],
	) {}

	static async prepare(store: ChatStore, corpus: SearchCorpus): Promise<SearchPlan> {
		const { users } = await fillStore(store, { users: corpus.shape.users, sessionsPerUser: 0 });
		const keys = await createConversations(store, corpus, users);
		const plan = new SearchPlan(corpus, users, keys);
		const now = Date.now();
		await store.createSession({
			id: plan.cookie,
			user: users[0]!,
			createdAt: now,
			lastUsedAt: now,
		});
		return plan;
	}

	/** Every message as a row, oldest first, dated over the past year. */
	*rows(): Generator<StoredMessage> {
		const { corpus, users, keys } = this;
		const rankOf = new Map(corpus.vocabulary.map((word, rank) => [word, rank]));
		const yearMs = 365 * 24 * 3600 * 1000;
		const firstDate = Date.now() - yearMs;
		const step = yearMs / corpus.shape.messages;
		let index = 0;
		for (const message of corpus.messages()) {
			if (isParty(corpus.conversations[message.conversation]!, 0)) {
				this.#readable++;
				for (const word of searchWords(message.body)) {
					const rank = rankOf.get(word)!;
					this.#readableCounts.set(rank, (this.#readableCounts.get(rank) ?? 0) + 1);
				}
			}
			const { key, group } = keys[message.conversation]!;
			yield {
				conversation: key,
				sender: users[message.sender]!,
				recipient: message.recipient === undefined ? group! : users[message.recipient]!,
				group,
				body: message.body,
				date: new Date(firstDate + index++ * step).toISOString(),
			};
		}
	}

	/** What the fixture reports, once `rows()` has been read to the end. */
	fixture(buildMs: number, phasesMs: SearchFixture['phasesMs']): SearchFixture {
		const { shape } = this.corpus;
		return {
			cookie: this.cookie,
			messages: shape.messages,
			readable: this.#readable,
			conversations: { direct: shape.directConversations, groups: shape.groups },
			queries: this.#queries(),
			buildMs,
			phasesMs,
		};
	}

	/**
	 * 50 requests of each kind (so no answer repeats back to back): rare words are ones user 0 can
	 * find 1–5 times; common ones the ten most frequent; prefixes the first three letters of words
	 * ranked 100–2,000; pairs a word ranked 10–200 with one ranked 200–2,000; one conversation is
	 * user 0's busiest group or busiest direct conversation.
	 */
	#queries(): SearchQueries {
		const { corpus, users } = this;
		const words = corpus.vocabulary;
		const count = 50;
		const rare = [...this.#readableCounts]
			.filter(([, seen]) => seen >= 1 && seen <= 5)
			.map(([rank]) => words[rank]!)
			.slice(0, count);
		const spread = (from: number, to: number) =>
			Array.from({ length: count }, (_, i) => words[from + Math.floor(((to - from) * i) / count)]!);
		const common = Array.from({ length: count }, (_, i) => words[i % 10]!);
		const prefixes = [...new Set(spread(100, 2000).map((word) => word.slice(0, 3)))];
		const frequent = spread(10, 200);
		const middling = spread(200, 2000);
		const mine = corpus.searcherConversations.map((index) => corpus.conversations[index]!);
		const group = mine.find((conversation) => conversation.kind === 'group');
		const direct = mine.find((conversation) => conversation.kind === 'direct');
		if (group?.kind !== 'group' || direct?.kind !== 'direct') {
			throw new Error('the corpus gives user 0 no group or no direct conversation');
		}
		const partner = users[direct.a === 0 ? direct.b : direct.a]!;
		const inGroup = groupName(group.index);
		return {
			'rare word': rare.map((query) => ({ query })),
			'common word': common.map((query) => ({ query })),
			prefix: prefixes.map((prefix) => ({ query: `${prefix}*` })),
			'two words': frequent.map((word, i) => ({ query: `${word} ${middling[i]!}` })),
			'common word, one group': common.map((query) => ({ target: inGroup, query })),
			'rare word, one direct conversation': spread(2000, 20_000).map((query) => ({
				target: partner,
				query,
			})),
		};
	}
}

async function createConversations(
	store: ChatStore,
	corpus: SearchCorpus,
	users: readonly string[],
): Promise<ConversationKey[]> {
	const createdAt = new Date().toISOString();
	const keys: ConversationKey[] = [];
	for (const conversation of corpus.conversations) {
		if (conversation.kind === 'direct') {
			const key = directConversation(users[conversation.a]!, users[conversation.b]!);
			keys.push({ key, group: null });
			continue;
		}
		const name = groupName(conversation.index);
		const [owner, ...rest] = conversation.members.map((member) => users[member]!);
		const record = await store.createGroup(name, owner!, createdAt);
		if (!record) throw new Error(`group ${name} exists`);
		const members = rest.map((user) => ({ user, role: 'user' as const }));
		await store.changeGroup(record.id, (change) => change.put(members));
		keys.push({ key: `g:${record.id}`, group: name });
	}
	return keys;
}

/** Times phases of a build: `end(phase)` records the time since the previous one ended. */
export function phaseTimer() {
	const started = performance.now();
	let last = started;
	const phasesMs = { accounts: 0, messages: 0, acknowledge: 0, merge: 0, close: 0 };
	return {
		phasesMs,
		end(phase: keyof typeof phasesMs) {
			const now = performance.now();
			phasesMs[phase] = now - last;
			last = now;
		},
		totalMs: () => performance.now() - started,
	};
}
