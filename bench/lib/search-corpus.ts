/**
 * A synthetic but chat-shaped corpus for the search bench, the same for a given seed: a
 * vocabulary whose word frequencies follow Zipf's law (a few words in most messages, a long tail
 * seen a handful of times), messages of 3–30 words, and conversations (direct and group) of
 * uneven activity. User 0 is the one who searches: a party of many of them, busy ones included.
 */
export type CorpusShape = {
	readonly messages: number;
	readonly users: number;
	readonly directConversations: number;
	readonly groups: number;
	/** Of the direct conversations and groups, how many user 0 is a party of. */
	readonly searcherDirect: number;
	readonly searcherGroups: number;
	readonly vocabulary: number;
	readonly seed: number;
};

export const corpusShape = (messages: number): CorpusShape => ({
	messages,
	users: 2000,
	directConversations: 4000,
	groups: 300,
	searcherDirect: 400,
	searcherGroups: 60,
	vocabulary: 30_000,
	seed: 7,
});

/** A conversation of the corpus: a direct one (two users) or a group (its members). */
export type CorpusConversation =
	| { readonly kind: 'direct'; readonly a: number; readonly b: number }
	| { readonly kind: 'group'; readonly index: number; readonly members: readonly number[] };

/** One generated message, with user indexes (not names) and its conversation's index. */
export type CorpusMessage = {
	readonly conversation: number;
	readonly sender: number;
	/** For a direct message the other user; for a group message undefined. */
	readonly recipient: number | undefined;
	readonly body: string;
};

/** mulberry32: small, fast, good enough for a workload, and reproducible. */
export function randomSource(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const consonants = 'bcdfghjklmnprstvwz';
const vowels = 'aeiou';

/**
 * `count` distinct pronounceable words, most frequent first: shorter words get the top ranks, as
 * in natural language ("the", "ok" before "rendezvous").
 */
export function makeVocabulary(count: number, random: () => number): string[] {
	const words = new Set<string>();
	for (let syllables = 1; words.size < count; syllables = Math.min(5, syllables + 1)) {
		const wanted = Math.min(count - words.size, syllables === 1 ? 60 : count);
		for (let tries = 0; tries < wanted * 4 && words.size < count; tries++) {
			let word = '';
			for (let s = 0; s < syllables; s++) {
				word += consonants[Math.floor(random() * consonants.length)]!;
				word += vowels[Math.floor(random() * vowels.length)]!;
			}
			if (syllables > 1 && random() < 0.3) word += consonants[Math.floor(random() * 18)]!;
			words.add(word);
		}
	}
	return [...words];
}

/** Draws ranks 0…n-1 with P(rank r) ∝ 1/(r+1)^exponent, by binary search in the cumulative table. */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
	const cumulative = new Float64Array(n);
	let total = 0;
	for (let rank = 0; rank < n; rank++) {
		total += 1 / Math.pow(rank + 1, exponent);
		cumulative[rank] = total;
	}
	return () => {
		const target = random() * total;
		let low = 0;
		let high = n - 1;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (cumulative[middle]! < target) low = middle + 1;
			else high = middle;
		}
		return low;
	};
}

/** The corpus: its vocabulary (by rank), conversations, and a generator of its messages. */
export class SearchCorpus {
	readonly vocabulary: string[];
	readonly conversations: CorpusConversation[];
	/** Indexes of the conversations user 0 is a party of, busiest first. */
	readonly searcherConversations: number[];
	readonly #conversationWeightRank: number[];

	constructor(readonly shape: CorpusShape) {
		const random = randomSource(shape.seed);
		this.vocabulary = makeVocabulary(shape.vocabulary, random);
		this.conversations = [];
		const pairs = new Set<string>();
		const directOf = (a: number, b: number) => {
			const key = a < b ? `${a}:${b}` : `${b}:${a}`;
			if (a === b || pairs.has(key)) return false;
			pairs.add(key);
			this.conversations.push({ kind: 'direct', a, b });
			return true;
		};
		const other = () => 1 + Math.floor(random() * (shape.users - 1));
		for (let made = 0; made < shape.searcherDirect;) if (directOf(0, other())) made++;
		while (this.conversations.length < shape.directConversations) directOf(other(), other());
		for (let index = 0; index < shape.groups; index++) {
			const size = 3 + Math.floor(Math.pow(random(), 2) * 58);
			const members = new Set<number>(index < shape.searcherGroups ? [0] : []);
			while (members.size < size) members.add(other());
			this.conversations.push({ kind: 'group', index, members: [...members] });
		}
		// Activity: Zipf over a shuffled order, so busy and quiet conversations of every kind.
		const order = this.conversations.map((_, index) => index);
		for (let i = order.length - 1; i > 0; i--) {
			const j = Math.floor(random() * (i + 1));
			[order[i], order[j]] = [order[j]!, order[i]!];
		}
		this.#conversationWeightRank = order;
		const rankOf = new Map(order.map((conversation, rank) => [conversation, rank]));
		this.searcherConversations = this.conversations
			.map((conversation, index) => ({ conversation, index }))
			.filter(({ conversation }) => isParty(conversation, 0))
			.map(({ index }) => index)
			.sort((x, y) => rankOf.get(x)! - rankOf.get(y)!);
	}

	/** Every message, oldest first (deterministic for the shape's seed). */
	*messages(): Generator<CorpusMessage> {
		const random = randomSource(this.shape.seed + 1);
		const word = zipfSampler(this.vocabulary.length, 1, random);
		const conversation = zipfSampler(this.conversations.length, 0.8, random);
		for (let index = 0; index < this.shape.messages; index++) {
			const which = this.#conversationWeightRank[conversation()]!;
			const chosen = this.conversations[which]!;
			const length = 3 + Math.floor(random() * 28);
			const words: string[] = [];
			for (let w = 0; w < length; w++) words.push(this.vocabulary[word()]!);
			const body = words.join(' ');
			if (chosen.kind === 'direct') {
				const fromA = random() < 0.5;
				yield {
					conversation: which,
					sender: fromA ? chosen.a : chosen.b,
					recipient: fromA ? chosen.b : chosen.a,
					body,
				};
			} else {
				const sender = chosen.members[Math.floor(random() * chosen.members.length)]!;
				yield { conversation: which, sender, recipient: undefined, body };
			}
		}
	}
}

export function isParty(conversation: CorpusConversation, user: number): boolean {
	return conversation.kind === 'direct'
		? conversation.a === user || conversation.b === user
		: conversation.members.includes(user);
}
