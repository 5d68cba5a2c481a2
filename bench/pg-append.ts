// `npm run build && node dist/bench/pg-append.js`: appendMessage throughput on PostgreSQL with
// one store and with two stores (two "nodes", each its own pool) appending at once. Each run is
// a fresh database; workers keep `inFlight` appends going per store (Send-Id on each, as the
// client sends them) for `seconds`. Prints the median and the low tail (p1) of appends/s over the
// runs, and per-append latency p50/p99 over all runs. KORICHAT_BENCH_POSTGRES picks the server.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { ChatStore } from '../source/domain/store.js';
import { openPostgresStore } from '../source/storage/postgres/open-postgres-store.js';
import { nowMs, percentile, summarise } from './lib/stats.js';

const server = process.env.KORICHAT_BENCH_POSTGRES ?? 'postgres://root@127.0.0.1:5432';
const runs = Number(process.env.RUNS ?? 5);
const seconds = Number(process.env.SECONDS ?? 3);
const body = 'a message of about the length people type in a chat, give or take';

const urlFor = (database: string) => {
	const url = new URL(server);
	url.pathname = `/${database}`;
	return url.toString();
};

async function withDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
	const name = `korichat_bench_${randomBytes(4).toString('hex')}`;
	const admin = postgres(urlFor('postgres'), { max: 1, onnotice: () => undefined });
	await admin.unsafe(`CREATE DATABASE ${name}`);
	try {
		return await run(urlFor(name));
	} finally {
		await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
		await admin.end();
	}
}

type RunResult = { perSecond: number; latencies: number[] };

async function oneRun(stores: number, inFlight: number): Promise<RunResult> {
	return withDatabase(async (url) => {
		const opened: ChatStore[] = [];
		for (let index = 0; index < stores; index++) opened.push(await openPostgresStore(url));
		const date = new Date().toISOString();
		for (const name of ['ann', 'bob']) {
			await opened[0]!.createUser({ name, displayName: name, passwordHash: 'x', createdAt: date });
		}
		const latencies: number[] = [];
		let count = 0;
		const deadline = nowMs() + seconds * 1000;
		const worker = async (store: ChatStore, tag: string) => {
			for (let index = 0; nowMs() < deadline; index++) {
				const started = nowMs();
				await store.appendMessage(
					{ from: 'ann', to: 'bob', group: null, body, date },
					'd:ann:bob',
					null,
					`${tag}-${index}`,
				);
				latencies.push(nowMs() - started);
				count++;
			}
		};
		const started = nowMs();
		await Promise.all(
			opened.flatMap((store, node) =>
				Array.from({ length: inFlight }, (_, slot) => worker(store, `n${node}w${slot}`)),
			),
		);
		const elapsed = (nowMs() - started) / 1000;
		// Gapless: every id up to the counter was written exactly once.
		const last = await opened[0]!.lastMessageId();
		if (last !== count) throw new Error(`counter at ${last} after ${count} appends`);
		for (const store of opened) await store.close();
		return { perSecond: count / elapsed, latencies };
	});
}

async function main(): Promise<void> {
	console.log(`appendMessage on ${server}: ${runs} runs of ${seconds} s each`);
	for (const [stores, inFlight] of [
		[1, 1],
		[1, 64],
		[2, 64],
	] as const) {
		const rates: number[] = [];
		const latencies: number[] = [];
		for (let run = 0; run < runs; run++) {
			const result = await oneRun(stores, inFlight);
			rates.push(result.perSecond);
			latencies.push(...result.latencies);
		}
		const rate = summarise(rates, true);
		console.log(
			`${stores} store(s) × ${inFlight} in flight: ${rate.median.toFixed(0)} appends/s median, ` +
				`${rate.tail.toFixed(0)} p1 (runs: ${rates.map((r) => r.toFixed(0)).join(', ')}); ` +
				`latency p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
		);
	}
}

await main();
