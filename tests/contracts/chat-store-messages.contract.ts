import { describe, expect, it } from 'vitest';
import { sendIdLifetimeMs } from '../../source/domain/send-ids.js';
import {
	bodies,
	crew,
	date,
	direct,
	toGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

const hostileBodies = [
	'NUL in the middle\0and \0\0\0 more',
	'\uFEFFBOM, NEL\u0085, LS\u2028, tab\t, CR\r, LF\n, backslash \\ "quote"',
	"Robert'); DROP TABLE messages;--",
	'👩‍👩‍👧‍👦 e\u0301 مرحبا',
];

/** appendMessage, history, pending, acknowledge, Send-Ids and message ids. */
export function describeMessages(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('messages and queues', () => {
		it('queues a direct message for its recipient and its sender (§7.1)', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const { message, recipients, repeated } = await store.appendMessage(
				direct('ann', 'bob', 'hi bob'),
				'd:ann:bob',
				null,
			);
			expect(repeated).toBe(false);
			expect([...recipients].sort()).toEqual(['ann', 'bob']);
			expect(message).toEqual({ id: message.id, ...direct('ann', 'bob', 'hi bob'), replyTo: null });
			expect(await store.pending('bob', 0, 10)).toEqual([message]);
			expect(await store.pending('ann', 0, 10)).toEqual([message]);
			expect(await store.pending('cy', 0, 10)).toEqual([]);
		});

		it('queues a group message for every member and the sender, following membership changes', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy', 'dee']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const send = (from: string, body: string) =>
				store.appendMessage(toGroup(from, 'crew', body), `g:${group.id}`, group.id);
			expect([...(await send('ann', 'one')).recipients].sort()).toEqual(['ann', 'bob']);
			await store.changeGroup(group.id, (change) =>
				change.put([
					{ user: 'cy', role: 'user' },
					{ user: 'dee', role: 'admin' },
				]),
			);
			expect([...(await send('bob', 'two')).recipients].sort()).toEqual([
				'ann',
				'bob',
				'cy',
				'dee',
			]);
			await store.changeGroup(group.id, (change) => change.remove(['cy']));
			expect([...(await send('dee', 'three')).recipients].sort()).toEqual(['ann', 'bob', 'dee']);

			expect(await bodies(store, 'ann')).toEqual(['one', 'two', 'three']);
			expect(await bodies(store, 'bob')).toEqual(['one', 'two', 'three']);
			expect(await bodies(store, 'cy')).toEqual(['two']);
			expect(await bodies(store, 'dee')).toEqual(['two', 'three']);
		});

		it('merges direct and group messages by id, pages by limit, and acknowledges both', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const sent: number[] = [];
			for (let index = 0; index < 6; index++) {
				const appended =
					index % 2 === 0
						? await store.appendMessage(direct('ann', 'bob', `d${index}`), 'd:ann:bob', null)
						: await store.appendMessage(
								toGroup('ann', 'crew', `g${index}`),
								`g:${group.id}`,
								group.id,
							);
				sent.push(appended.message.id);
			}
			// Another user's direct messages are not bob's.
			await store.appendMessage(direct('ann', 'cy', 'for cy'), 'd:ann:cy', null);

			expect(await bodies(store, 'bob')).toEqual(['d0', 'g1', 'd2', 'g3', 'd4', 'g5']);
			const page = await store.pending('bob', sent[1]!, 3);
			expect(page.map((m) => m.body)).toEqual(['d2', 'g3', 'd4']);
			await store.acknowledge('bob', sent[2]!);
			expect(await bodies(store, 'bob')).toEqual(['g3', 'd4', 'g5']);
			// An older acknowledgement never moves the cursor back.
			await store.acknowledge('bob', sent[0]!);
			expect(await bodies(store, 'bob')).toEqual(['g3', 'd4', 'g5']);
			await store.acknowledge('bob', sent[5]!);
			expect(await bodies(store, 'bob')).toEqual([]);
			expect(await bodies(store, 'cy')).toEqual(['for cy']);
		});

		it('pages history newest first by `before`, returning each page oldest first', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const ids: number[] = [];
			for (let index = 0; index < 5; index++) {
				const from = index % 2 === 0 ? 'ann' : 'bob';
				const to = from === 'ann' ? 'bob' : 'ann';
				ids.push(
					(await store.appendMessage(direct(from, to, `m${index}`), 'd:ann:bob', null)).message.id,
				);
				await store.appendMessage(direct('ann', 'cy', `other${index}`), 'd:ann:cy', null);
			}
			const texts = (list: { body: string }[]) => list.map((m) => m.body);
			expect(texts(await store.history('d:ann:bob', undefined, 2))).toEqual(['m3', 'm4']);
			expect(texts(await store.history('d:ann:bob', ids[3], 2))).toEqual(['m1', 'm2']);
			expect(texts(await store.history('d:ann:bob', ids[1], 10))).toEqual(['m0']);
			expect(await store.history('d:ann:bob', ids[0], 10)).toEqual([]);
			expect(await store.history('d:nobody:else', undefined, 10)).toEqual([]);
		});

		it('keeps hostile bodies byte for byte', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			for (const body of hostileBodies) {
				await store.appendMessage(direct('ann', 'bob', body), 'd:ann:bob', null);
				await store.appendMessage(toGroup('ann', 'crew', body), `g:${group.id}`, group.id);
			}
			expect(await bodies(store, 'bob')).toEqual(hostileBodies.flatMap((body) => [body, body]));
			const history = await store.history('d:ann:bob', undefined, 10);
			expect(history.map((m) => m.body)).toEqual(hostileBodies);
		});
	});

	describe('message ids and Send-Ids', () => {
		it('numbers messages 1, 2, 3… with none skipped, also when sent at once', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			expect(await store.lastMessageId()).toBe(0);
			const first = await store.appendMessage(direct('ann', 'bob', 'first'), 'd:ann:bob', null);
			expect(first.message.id).toBe(1);
			const together = await Promise.all(
				Array.from({ length: 40 }, (_, index) =>
					index % 3 === 0
						? store.appendMessage(toGroup('ann', 'crew', `g${index}`), `g:${group.id}`, group.id)
						: store.appendMessage(direct('ann', 'bob', `d${index}`), 'd:ann:bob', null),
				),
			);
			const ids = together.map((appended) => appended.message.id).sort((a, b) => a - b);
			expect(ids).toEqual(Array.from({ length: 40 }, (_, index) => index + 2));
			expect(await store.lastMessageId()).toBe(41);
			expect((await store.pending('bob', 0, 100)).map((m) => m.id)).toEqual([1, ...ids]);
		});

		it('answers a repeated Send-Id within 24 hours with the first message, writing nothing', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const first = await store.appendMessage(
				direct('ann', 'bob', 'once'),
				'd:ann:bob',
				null,
				's-1',
			);
			const later = new Date(Date.parse(date) + sendIdLifetimeMs - 1).toISOString();
			const again = await store.appendMessage(
				direct('ann', 'bob', 'once', later),
				'd:ann:bob',
				null,
				's-1',
			);
			expect(again).toMatchObject({ message: first.message, repeated: true });
			expect([...again.recipients].sort()).toEqual(['ann', 'bob']);
			expect(await store.lastMessageId()).toBe(first.message.id);
			expect(await bodies(store, 'bob')).toEqual(['once']);

			// The same token from someone else is theirs.
			const bobs = await store.appendMessage(
				direct('bob', 'ann', 'mine'),
				'd:ann:bob',
				null,
				's-1',
			);
			expect(bobs.repeated).toBe(false);
			// After 24 hours the token is forgotten.
			const dayLater = new Date(Date.parse(date) + sendIdLifetimeMs).toISOString();
			const anew = await store.appendMessage(
				direct('ann', 'bob', 'once', dayLater),
				'd:ann:bob',
				null,
				's-1',
			);
			expect(anew.repeated).toBe(false);
			expect(anew.message.id).toBe(bobs.message.id + 1);
			// Bob's own message is queued for him too (§7.1).
			expect(await bodies(store, 'bob')).toEqual(['once', 'mine', 'once']);
		});

		it('stores one message for a Send-Id sent twice at once', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const [one, two] = await Promise.all([
				store.appendMessage(toGroup('ann', 'crew', 'hey'), `g:${group.id}`, group.id, 'tok'),
				store.appendMessage(toGroup('ann', 'crew', 'hey'), `g:${group.id}`, group.id, 'tok'),
			]);
			expect(two!.message.id).toBe(one!.message.id);
			expect([one!.repeated, two!.repeated]).toEqual([false, true]);
			expect([...two!.recipients].sort()).toEqual(['ann', 'bob']);
			expect(await bodies(store, 'bob')).toEqual(['hey']);
		});

		it('answers a Send-Id of a deleted group with the same id', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const first = await store.appendMessage(
				toGroup('ann', 'crew', 'hey'),
				`g:${group.id}`,
				group.id,
				'tok',
			);
			await store.changeGroup(group.id, (change) => change.delete());
			const again = await store.appendMessage(
				toGroup('ann', 'crew', 'hey'),
				`g:${group.id}`,
				group.id,
				'tok',
			);
			expect(again.repeated).toBe(true);
			expect(again.message.id).toBe(first.message.id);
		});
	});
}
