/**
 * How well `query` matches `candidate` as a subsequence (higher is better), or undefined when it
 * does not. A match at the start, at a word start or right after the previous match counts more,
 * so `jo` ranks `josie` above `major`.
 */
export function fuzzyScore(query: string, candidate: string): number | undefined {
	const needle = query.toLowerCase();
	const haystack = candidate.toLowerCase();
	if (needle === '') return 0;
	let score = 0;
	let from = 0;
	let previous = -2;
	for (const character of needle) {
		const index = haystack.indexOf(character, from);
		if (index === -1) return undefined;
		score += 1;
		if (index === 0) score += 8;
		else if (/[\s_.-]/.test(haystack[index - 1]!)) score += 5;
		if (index === previous + 1) score += 4;
		score -= Math.min(3, index - from);
		previous = index;
		from = index + 1;
	}
	if (haystack === needle) score += 20;
	return score - haystack.length / 100;
}

/** The items matching `query`, best first (ties keep their order). */
export function fuzzyFilter<T>(query: string, items: readonly T[], text: (item: T) => string): T[] {
	return items
		.map((item, index) => ({ item, index, score: fuzzyScore(query.trim(), text(item)) }))
		.filter(
			(entry): entry is { item: T; index: number; score: number } => entry.score !== undefined,
		)
		.sort((a, b) => b.score - a.score || a.index - b.index)
		.map((entry) => entry.item);
}
