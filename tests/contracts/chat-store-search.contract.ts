import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import type { ChatStore } from '../../source/domain/store.js';
import type { SearchQuery } from '../../source/domain/types.js';
import {
	crew,
	direct,
	sendDirect,
	sendToGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

type Options = Partial<Omit<SearchQuery, 'terms'>>;

/** The bodies of what `user` finds for `query`, newest first. */
async function find(store: ChatStore, user: string, query: string, options: Options = {}) {
	const found = await store.search(user, { terms: searchTerms(query), limit: 20, ...options });
	return found.map((message) => message.body);
}

const m1 = 'Hello World, café au lait';
const m2 = 'hello again: the WORLDWIDE news';
const m3 = '日本語 テキスト hello';
const m4 = 'hello from the other group';
const m5 = 'hello dee';
const m6 = 'e-mail me at ann@example.com, nº42';
const m7 = 'hello myself';

/** Ann, bob, cy and dee; crew = ann + bob, other = cy + dee; the seven messages above in order. */
async function conversations(store: ChatStore) {
	await withUsers(store, ['ann', 'bob', 'cy', 'dee']);
	const crewGroup = await crew(store, 'crew', ['ann', 'bob']);
	const otherGroup = await crew(store, 'other', ['cy', 'dee']);
	const ids = [
		await sendDirect(store, 'ann', 'bob', m1),
		await sendDirect(store, 'bob', 'ann', m2),
		await sendToGroup(store, 'ann', crewGroup, m3),
		await sendToGroup(store, 'cy', otherGroup, m4),
		await sendDirect(store, 'cy', 'dee', m5),
		await sendDirect(store, 'bob', 'ann', m6),
		(await store.appendMessage(direct('ann', 'ann', m7), 'd:ann:ann', null)).message,
	].map((message) => message.id);
	return { crew: crewGroup, other: otherGroup, ids };
}

/** §7.6 search: words, prefixes, AND, who may read what, paging. */
export function describeSearch(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('search (§7.6)', () => {
		it('matches whole words case-insensitively, newest first, over what the user can read', async () => {
			const store = await open();
			await conversations(store);
			expect(await find(store, 'ann', 'hello')).toEqual([m7, m3, m2, m1]);
			expect(await find(store, 'ann', 'HeLLo')).toEqual([m7, m3, m2, m1]);
			expect(await find(store, 'bob', 'hello')).toEqual([m3, m2, m1]);
			expect(await find(store, 'cy', 'hello')).toEqual([m5, m4]);
			expect(await find(store, 'dee', 'group')).toEqual([m4]);
			expect(await find(store, 'ann', 'group')).toEqual([]);
			expect(await find(store, 'ann', 'world')).toEqual([m1]);
			expect(await find(store, 'ann', 'worldwide')).toEqual([m2]);
			expect(await find(store, 'ann', 'hell')).toEqual([]);
			expect(await find(store, 'ann', 'nothing')).toEqual([]);
		});

		it('returns whole messages with their conversation', async () => {
			const store = await open();
			const { crew: group, ids } = await conversations(store);
			const [found] = await store.search('bob', { terms: searchTerms('テキスト'), limit: 5 });
			expect(found).toEqual({
				id: ids[2],
				from: 'ann',
				to: 'crew',
				group: group.name,
				body: m3,
				date: expect.any(String),
				replyTo: null,
			});
		});

		it('reads a trailing * as a prefix and needs every term (AND)', async () => {
			const store = await open();
			await conversations(store);
			expect(await find(store, 'ann', 'world*')).toEqual([m2, m1]);
			expect(await find(store, 'ann', 'WOR*')).toEqual([m2, m1]);
			expect(await find(store, 'ann', 'hello world')).toEqual([m1]);
			expect(await find(store, 'ann', 'world hello')).toEqual([m1]);
			expect(await find(store, 'ann', 'hello world*')).toEqual([m2, m1]);
			expect(await find(store, 'ann', 'hello news world')).toEqual([]);
			expect(await find(store, 'ann', 'he* my*')).toEqual([m7]);
			expect(await find(store, 'ann', 'lait au café')).toEqual([m1]);
		});

		it('splits words at punctuation and keeps Unicode letters and digits', async () => {
			const store = await open();
			await conversations(store);
			expect(await find(store, 'ann', 'café')).toEqual([m1]);
			expect(await find(store, 'ann', 'CAFÉ')).toEqual([m1]);
			expect(await find(store, 'ann', 'caf*')).toEqual([m1]);
			expect(await find(store, 'ann', 'cafe')).toEqual([]);
			expect(await find(store, 'ann', '日本語')).toEqual([m3]);
			expect(await find(store, 'ann', '日本*')).toEqual([m3]);
			expect(await find(store, 'ann', '日本')).toEqual([]);
			expect(await find(store, 'ann', 'テキスト')).toEqual([m3]);
			expect(await find(store, 'ann', 'mail')).toEqual([m6]);
			expect(await find(store, 'ann', 'e')).toEqual([m6]);
			expect(await find(store, 'ann', 'example')).toEqual([m6]);
			expect(await find(store, 'ann', 'ann@example.com')).toEqual([m6]);
			expect(await find(store, 'ann', 'nº42')).toEqual([m6]);
			// º is a letter (Lo), so "nº42" is one word.
			expect(await find(store, 'ann', '42')).toEqual([]);
			expect(await find(store, 'ann', 'nº*')).toEqual([m6]);
			expect(await find(store, 'ann', 'again:')).toEqual([m2]);
		});

		it('treats words the query syntax of a database might read as operators as plain words', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await sendDirect(store, 'ann', 'bob', 'cats and dogs or birds');
			await sendDirect(store, 'ann', 'bob', 'not near NEAR OR AND');
			await sendDirect(store, 'ann', 'bob', 'plain');
			expect(await find(store, 'bob', 'or')).toEqual([
				'not near NEAR OR AND',
				'cats and dogs or birds',
			]);
			expect(await find(store, 'bob', 'AND')).toEqual([
				'not near NEAR OR AND',
				'cats and dogs or birds',
			]);
			expect(await find(store, 'bob', 'NOT')).toEqual(['not near NEAR OR AND']);
			expect(await find(store, 'bob', 'NEAR*')).toEqual(['not near NEAR OR AND']);
			expect(await find(store, 'bob', 'cats OR plain')).toEqual([]);
		});

		it('cuts very long words the same way in the text and in the query', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const long = 'x'.repeat(100);
			await sendDirect(store, 'ann', 'bob', `a ${long} word`);
			expect(await find(store, 'bob', long)).toEqual([`a ${long} word`]);
			expect(await find(store, 'bob', 'x'.repeat(64))).toEqual([`a ${long} word`]);
			expect(await find(store, 'bob', 'x'.repeat(63))).toEqual([]);
		});

		it('never finds messages of a group the user left', async () => {
			const store = await open();
			const { crew: group } = await conversations(store);
			await store.changeGroup(group.id, (change) => change.remove(['bob']));
			expect(await find(store, 'bob', 'hello')).toEqual([m2, m1]);
			expect(await find(store, 'bob', 'テキスト')).toEqual([]);
			await store.changeGroup(group.id, (change) => change.put([{ user: 'bob', role: 'user' }]));
			expect(await find(store, 'bob', 'テキスト')).toEqual([m3]);
			await store.changeGroup(group.id, (change) => change.delete());
			expect(await find(store, 'ann', 'hello')).toEqual([m7, m2, m1]);
		});

		it('narrows to one conversation, to ids before a given one and to a limit', async () => {
			const store = await open();
			const { crew: group, ids } = await conversations(store);
			expect(await find(store, 'ann', 'hello', { conversation: 'd:ann:bob' })).toEqual([m2, m1]);
			expect(await find(store, 'ann', 'hello', { conversation: `g:${group.id}` })).toEqual([m3]);
			expect(await find(store, 'ann', 'hello', { conversation: 'd:ann:ann' })).toEqual([m7]);
			expect(await find(store, 'ann', 'hello', { conversation: 'd:ann:cy' })).toEqual([]);
			expect(await find(store, 'ann', 'hello', { before: ids[2] })).toEqual([m2, m1]);
			expect(await find(store, 'ann', 'hello', { before: ids[0] })).toEqual([]);
			expect(await find(store, 'ann', 'hello', { limit: 2 })).toEqual([m7, m3]);
			expect(await find(store, 'ann', 'hello', { before: ids[6], limit: 1 })).toEqual([m3]);
			expect(
				await find(store, 'ann', 'hello', { conversation: 'd:ann:bob', before: ids[1], limit: 5 }),
			).toEqual([m1]);
		});

		it('pages through many matches newest first', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const ids: number[] = [];
			for (let index = 0; index < 45; index++) {
				ids.push((await sendDirect(store, 'ann', 'bob', `ping number ${index}`)).id);
				await sendDirect(store, 'ann', 'cy', `ping for cy ${index}`);
			}
			const page = async (before?: number) =>
				(await store.search('bob', { terms: searchTerms('ping'), limit: 20, before })).map(
					(message) => message.id,
				);
			const newest = [...ids].reverse();
			expect(await page()).toEqual(newest.slice(0, 20));
			expect(await page(newest[19])).toEqual(newest.slice(20, 40));
			expect(await page(newest[39])).toEqual(newest.slice(40));
			expect(await find(store, 'bob', 'number 7')).toEqual(['ping number 7']);
		});

		it('finds what it found after the store is reopened from its storage', async () => {
			const store = await open();
			const { ids } = await conversations(store);
			await store.editMessage(ids[0]!, 'rewritten greeting', '2026-11-25T12:05:00.000Z');
			await store.deleteMessage(ids[1]!);
			await store.whenDurable();
			const reopened = await open.reopen(store);
			expect(await find(reopened, 'ann', 'hello')).toEqual([m7, m3]);
			expect(await find(reopened, 'bob', 'greeting')).toEqual(['rewritten greeting']);
			expect(await find(reopened, 'ann', 'worldwide')).toEqual([]);
			const later = await sendDirect(reopened, 'bob', 'ann', 'hello after the restart');
			expect(await find(reopened, 'ann', 'hello', { limit: 1 })).toEqual([later.body]);
		});
	});
}
