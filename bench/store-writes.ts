// `npm run build && node dist/bench/store-writes.js`: the storage layer's cost per SEND, in process.
// A direct message, a message to a group of 100 and one to a group of 1,000, each written the way
// the server writes them (many per event-loop turn, then one wait for durability); the search index
// of the direct messages, which its own thread writes behind them (wall time, off the event loop);
// median of runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatStore } from '../source/domain/store.js';
import { openChatStore } from '../source/storage/open-chat-store.js';
import { percentile } from './lib/stats.js';

const runs = 7;
const date = new Date(0).toISOString();
const body = 'a message of about the length people type in a chat, give or take';

async function setUp(store: ChatStore, users: number): Promise<number[]> {
	for (let index = 0; index < users; index++) {
		await store.createUser({
			name: `u${index}`,
			displayName: `User ${index}`,
			passwordHash: 'x',
			createdAt: date,
		});
	}
	const groups: number[] = [];
	for (const size of [100, 1000]) {
		const group = await store.createGroup(`g${size}`, 'u0', date);
		if (!group) throw new Error('group name taken');
		const members = Array.from({ length: size - 1 }, (_, index) => ({
			user: `u${index + 1}`,
			role: 'user' as const,
		}));
		await store.changeGroup(group.id, (change) => change.put(members));
		groups.push(group.id);
	}
	return groups;
}

/** Microseconds per message for `count` messages written 64 per turn, durable at the end. */
async function timeWrites(
	store: ChatStore,
	count: number,
	write: (index: number) => Promise<unknown>,
): Promise<number> {
	const started = performance.now();
	for (let index = 0; index < count;) {
		const turn: Promise<unknown>[] = [];
		for (let inTurn = 0; inTurn < 64 && index < count; inTurn++, index++) turn.push(write(index));
		await Promise.all(turn);
		await new Promise((resolve) => setImmediate(resolve));
	}
	await store.whenDurable();
	return ((performance.now() - started) * 1000) / count;
}

async function main(): Promise<void> {
	const dir = await mkdtemp(join(tmpdir(), 'korichat-store-writes-'));
	try {
		const store = await openChatStore(dir);
		const [group100, group1000] = await setUp(store, 1000);
		const samples: Record<string, number[]> = {
			dm: [],
			'dm search index': [],
			group100: [],
			group1000: [],
			ack: [],
		};
		let acked = 0;
		for (let run = 0; run < runs; run++) {
			samples['dm']!.push(
				await timeWrites(store, 20_000, (index) =>
					store.appendMessage(
						{ from: 'u0', to: `u${1 + (index % 4)}`, group: null, body, date },
						`d:u0:u${1 + (index % 4)}`,
						null,
					),
				),
			);
			// Until the index's thread has those 20,000 (search-index-host.ts): a search waits for it.
			const indexing = performance.now();
			await store.searchIndex.applied();
			samples['dm search index']!.push(((performance.now() - indexing) * 1000) / 20_000);
			samples['group100']!.push(
				await timeWrites(store, 500, () =>
					store.appendMessage(
						{ from: 'u0', to: 'g100', group: 'g100', body, date },
						`g:${group100}`,
						group100!,
					),
				),
			);
			samples['group1000']!.push(
				await timeWrites(store, 100, () =>
					store.appendMessage(
						{ from: 'u0', to: 'g1000', group: 'g1000', body, date },
						`g:${group1000}`,
						group1000!,
					),
				),
			);
			await store.searchIndex.applied();
			// Every member acknowledges all it has, 1,000 acknowledgements per sample.
			const upto = Number.MAX_SAFE_INTEGER;
			samples['ack']!.push(
				await timeWrites(store, 1000, (index) => store.acknowledge(`u${index}`, upto)),
			);
			acked++;
		}
		await store.close();
		console.log(`storage cost per operation, µs (median of ${acked} runs, p99 in brackets)`);
		for (const [name, values] of Object.entries(samples)) {
			console.log(
				`${name.padEnd(16)} ${percentile(values, 50).toFixed(1).padStart(9)}  (${percentile(values, 99).toFixed(1)})`,
			);
		}
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
}

await main();
