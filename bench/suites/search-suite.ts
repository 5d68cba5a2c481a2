import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, dropDatabase } from '../lib/cluster-services.js';
import { searchKinds, type SearchFixture, type SearchKind } from '../lib/search-plan.js';
import { startKoriChat, type ServerProcess } from '../lib/server-process.js';
import type { SearchLatencies } from '../workloads/search.js';
import type { BenchContext } from './context.js';

export type SearchStore = 'sql.js' | 'PostgreSQL';

export type SearchResults = {
	readonly store: SearchStore;
	readonly messages: number;
	readonly readable: number;
	readonly buildMs: number;
	readonly buildPhasesMs: SearchFixture['phasesMs'];
	/** sql.js: the snapshot file's size. */
	readonly snapshotBytes?: number;
	readonly startupMs: number;
	/** The server's resident memory once started on the corpus, KiB. */
	readonly rssKiB: number;
	readonly runs: number;
	readonly requestsPerRun: number;
	readonly kinds: SearchLatencies;
	readonly examples: Record<SearchKind, string>;
};

export type SearchSuiteResults = {
	readonly stores: SearchResults[];
	/** Why a store was not measured. */
	readonly skipped: string[];
};

/**
 * SEARCH latency over TCP on a big store: the corpus (bench/lib/search-corpus.ts) is written
 * into a sql.js data folder, and into a PostgreSQL database when one answers, by a load process
 * with the store's own schema and indexing; then the real server (the CLI) starts on it and
 * another load process times SEARCH requests as user 0.
 */
export async function searchSuite(context: BenchContext): Promise<SearchSuiteResults> {
	const stores: SearchResults[] = [];
	const skipped: string[] = [];
	stores.push(await sqlJsRun(context));
	let database: { name: string; url: string } | undefined;
	try {
		database = await createDatabase('search');
	} catch (error) {
		skipped.push(`PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
	}
	if (database) {
		try {
			stores.push(await postgresRun(context, database.url));
		} finally {
			await dropDatabase(database.name);
		}
	}
	return { stores, skipped };
}

async function sqlJsRun(context: BenchContext): Promise<SearchResults> {
	const dir = await context.tempDir('search');
	try {
		const fixture = await buildIn(context, { kind: 'search-fixture', dir });
		const snapshotBytes = statSync(join(dir, 'snapshot.db')).size;
		const server = await context.startServer(dir);
		return { ...(await timeOn(context, server, fixture, 'sql.js')), snapshotBytes };
	} finally {
		await context.removeDir(dir);
	}
}

async function postgresRun(context: BenchContext, storeUrl: string): Promise<SearchResults> {
	const dir = await context.tempDir('search-pg');
	try {
		const fixture = await buildIn(context, { kind: 'search-fixture-pg', storeUrl });
		const args = ['--max-connections-per-ip', '0', '--store', storeUrl];
		const server = await startKoriChat(context.cliPath, dir, args, { openFiles: context.files });
		return await timeOn(context, server, fixture, 'PostgreSQL');
	} finally {
		await context.removeDir(dir);
	}
}

async function buildIn(
	context: BenchContext,
	target: { kind: 'search-fixture'; dir: string } | { kind: 'search-fixture-pg'; storeUrl: string },
): Promise<SearchFixture> {
	const messages = context.sizes.searchMessages;
	const fixture = await context.load<SearchFixture>({ ...target, messages }, undefined, 3_600_000);
	const phases = Object.entries(fixture.phasesMs)
		.map(([phase, ms]) => `${phase} ${(ms / 1000).toFixed(0)} s`)
		.join(', ');
	context.log(
		`  built ${fixture.messages.toLocaleString('en-US')} messages (${fixture.readable.toLocaleString('en-US')} readable by the searcher) in ${(fixture.buildMs / 1000).toFixed(0)} s: ${phases}`,
	);
	return fixture;
}

/** Times SEARCH on a started server, then stops it. */
async function timeOn(
	context: BenchContext,
	server: ServerProcess,
	fixture: SearchFixture,
	store: SearchStore,
): Promise<SearchResults> {
	const { sizes } = context;
	try {
		const rssKiB = server.rssKiB();
		const kinds = await context.load<SearchLatencies>({
			kind: 'search',
			params: {
				port: server.port,
				cookie: fixture.cookie,
				queries: fixture.queries,
				runs: sizes.runs,
				requests: sizes.searchRequests,
			},
		});
		const examples = Object.fromEntries(
			searchKinds.map((kind) => {
				const { target, query } = fixture.queries[kind][0]!;
				return [kind, `SEARCH${target ? ` ${target}` : ''} Query: ${query}`];
			}),
		) as Record<SearchKind, string>;
		return {
			store,
			messages: fixture.messages,
			readable: fixture.readable,
			buildMs: fixture.buildMs,
			buildPhasesMs: fixture.phasesMs,
			startupMs: server.startupMs,
			rssKiB,
			runs: sizes.runs,
			requestsPerRun: sizes.searchRequests,
			kinds,
			examples,
		};
	} finally {
		await server.stop();
	}
}
