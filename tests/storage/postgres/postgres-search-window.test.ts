import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../../source/domain/search-words.js';
import { searchMessages } from '../../../source/storage/postgres/postgres-search.js';
import { crew, sendDirect, sendToGroup, withUsers } from '../../contracts/chat-store-kit.js';
import { pg, usePostgres } from './postgres-kit.js';

describe.skipIf(!pg.available)('PostgreSQL search: a prefix looks in the newest ids first', () => {
	const pgs = usePostgres();

	/** 60 messages: ann's DMs with bob, a group of ann's, and DMs between others ann may not read. */
	async function corpus() {
		const { url } = await pgs.database();
		const store = await pgs.store(url);
		await withUsers(store, ['ann', 'bob', 'cid', 'dee']);
		const group = await crew(store, 'crew', ['bob', 'ann']);
		for (let n = 1; n <= 20; n++) {
			await sendDirect(store, 'ann', 'bob', `tango${n} one`);
			await sendToGroup(store, 'bob', group, `tangerine${n} two`);
			await sendDirect(store, 'cid', 'dee', `tandem${n} secret`);
		}
		return store;
	}

	/** The ids the windowed search finds, and those a search with no window at all finds. */
	async function both(
		store: Awaited<ReturnType<typeof corpus>>,
		text: string,
		window: number,
		options: { limit: number; before?: number },
	) {
		const query = { terms: searchTerms(text), ...options };
		const ids = async (size: number) =>
			(await searchMessages(store.sql, 'ann', query, size)).map((message) => message.id);
		return { windowed: await ids(window), whole: await ids(1_000_000) };
	}

	it('answers from the window when it holds a full page, else from everything', async () => {
		const store = await corpus();
		// Ids 1…60, three per round: ann can read 40 of them, all matching `tan*`.
		const readable = Array.from({ length: 60 }, (_, i) => 60 - i).filter((id) => id % 3 !== 0);
		const full = await both(store, 'tan*', 9, { limit: 4 });
		expect(full.windowed).toEqual(readable.slice(0, 4));
		expect(full.whole).toEqual(full.windowed);
		// The window (ids 53…60) holds 5 readable ones: too few for 10, so it looks further.
		const beyond = await both(store, 'tan*', 9, { limit: 10 });
		expect(beyond.windowed).toEqual(readable.slice(0, 10));
		expect(beyond.whole).toEqual(beyond.windowed);
		// Before 30: the window is counted down from there.
		const paged = await both(store, 'tan* one', 6, { limit: 5, before: 30 });
		expect(paged.windowed).toEqual([28, 25, 22, 19, 16]);
		expect(paged.whole).toEqual(paged.windowed);
	});

	it('never lets the window show what the user may not read', async () => {
		const store = await corpus();
		const found = await both(store, 'tand*', 9, { limit: 5 });
		expect(found).toEqual({ windowed: [], whole: [] });
		const cid = await searchMessages(
			store.sql,
			'cid',
			{ terms: searchTerms('tand*'), limit: 3 },
			9,
		);
		expect(cid.map((message) => message.id)).toEqual([60, 57, 54]);
	});
});
