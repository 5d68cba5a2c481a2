import { ChatLink } from '../lib/chat-link.js';
import { searchKinds, type SearchKind, type SearchQueries } from '../lib/search-plan.js';
import { nowMs } from '../lib/stats.js';

export type SearchParams = {
	readonly port: number;
	readonly cookie: string;
	readonly queries: SearchQueries;
	readonly runs: number;
	/** Requests of each kind per run. */
	readonly requests: number;
};

/** Per kind: the latency of every request, one list per run, and how many messages came back. */
export type SearchLatencies = Record<SearchKind, { latenciesMs: number[][]; meanHits: number }>;

/**
 * SEARCH over one bound connection, one request in flight (a person searching, not a flood):
 * a warm-up pass, then `runs` passes that each time every kind `requests` times, the kinds
 * interleaved so that each sees the same machine. Any answer but 200 fails the run.
 */
export async function searchLatency(params: SearchParams): Promise<SearchLatencies> {
	const { port, cookie, queries, runs, requests } = params;
	const link = await ChatLink.open(port);
	await link.bind(cookie);
	const result = Object.fromEntries(
		searchKinds.map((kind) => [kind, { latenciesMs: [] as number[][], meanHits: 0 }]),
	) as SearchLatencies;
	const hits = Object.fromEntries(searchKinds.map((kind) => [kind, 0])) as Record<
		SearchKind,
		number
	>;
	const once = async (kind: SearchKind, index: number) => {
		const list = queries[kind];
		const { target, query } = list[index % list.length]!;
		const headers: [string, string][] = [['Query', query]];
		const started = nowMs();
		const reply = await link.request('SEARCH', target, headers);
		const elapsed = nowMs() - started;
		if (reply.status !== 200) {
			throw new Error(
				`SEARCH ${target ?? ''} "${query}" answered ${reply.status}: ${reply.frame.body}`,
			);
		}
		return {
			elapsed,
			found: (JSON.parse(reply.frame.body.toString('utf8')) as { messages: unknown[] }).messages
				.length,
		};
	};
	for (const kind of searchKinds) for (let i = 0; i < 10; i++) await once(kind, i);
	for (let run = 0; run < runs; run++) {
		const samples = Object.fromEntries(searchKinds.map((kind) => [kind, [] as number[]]));
		for (let i = 0; i < requests; i++) {
			for (const kind of searchKinds) {
				const { elapsed, found } = await once(kind, run * requests + i);
				samples[kind]!.push(elapsed);
				hits[kind] += found;
			}
		}
		for (const kind of searchKinds) result[kind].latenciesMs.push(samples[kind]!);
	}
	for (const kind of searchKinds) result[kind].meanHits = hits[kind] / (runs * requests);
	link.close();
	return result;
}
