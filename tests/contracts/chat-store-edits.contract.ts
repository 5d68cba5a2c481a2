import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../source/domain/search-words.js';
import type { ChatStore } from '../../source/domain/store.js';
import {
	bodies,
	crew,
	direct,
	directKey,
	sendDirect,
	sendToGroup,
	toGroup,
	useStores,
	withUsers,
	type ChatStoreMaker,
} from './chat-store-kit.js';

const later = '2026-11-25T12:05:00.000Z';
const found = async (store: ChatStore, user: string, query: string) =>
	(await store.search(user, { terms: searchTerms(query), limit: 20 })).map((m) => m.id);

/** §7.1 own messages in the queue, §7.3 replies, §7.4 edits and deletes. */
export function describeEdits(make: ChatStoreMaker): void {
	const open = useStores(make);

	describe('own messages in the queue (§7.1)', () => {
		it('queues a direct message for its sender until an ACK of theirs covers it', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const first = await sendDirect(store, 'ann', 'bob', 'one');
			const second = await sendDirect(store, 'bob', 'ann', 'two');
			expect(await bodies(store, 'ann')).toEqual(['one', 'two']);
			expect(await bodies(store, 'bob')).toEqual(['one', 'two']);
			await store.acknowledge('ann', first.id);
			expect(await bodies(store, 'ann')).toEqual(['two']);
			// Each user's cursor is their own.
			expect(await bodies(store, 'bob')).toEqual(['one', 'two']);
			await store.acknowledge('ann', second.id);
			expect(await bodies(store, 'ann')).toEqual([]);
			expect((await store.pending('bob', first.id, 10)).map((m) => m.id)).toEqual([second.id]);
		});

		it('queues a group message for its sender until an ACK of theirs covers it', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const sent = await sendToGroup(store, 'ann', group, 'hello crew');
			expect(await store.pending('ann', 0, 10)).toEqual([sent]);
			await store.acknowledge('ann', sent.id);
			expect(await bodies(store, 'ann')).toEqual([]);
			expect(await bodies(store, 'bob')).toEqual(['hello crew']);
		});

		it('queues a direct message to oneself once', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const appended = await store.appendMessage(direct('ann', 'ann', 'note'), 'd:ann:ann', null);
			expect(appended.recipients).toEqual(['ann']);
			expect(await store.pending('ann', 0, 10)).toEqual([appended.message]);
			expect(await bodies(store, 'bob')).toEqual([]);
			expect(await store.history('d:ann:ann', undefined, 10)).toEqual([appended.message]);
		});

		it('merges sent and received direct messages by id within the limit', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const ids: number[] = [];
			for (let index = 0; index < 6; index++) {
				const [from, to] = index % 2 === 0 ? ['ann', 'bob'] : ['cy', 'ann'];
				ids.push((await sendDirect(store, from!, to!, `m${index}`)).id);
			}
			expect(await bodies(store, 'ann')).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
			expect((await store.pending('ann', ids[1]!, 3)).map((m) => m.body)).toEqual([
				'm2',
				'm3',
				'm4',
			]);
			expect(await bodies(store, 'cy')).toEqual(['m1', 'm3', 'm5']);
		});
	});

	describe('replies (§7.3)', () => {
		it('keeps replyTo through append, history, pending and findMessage', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const question = await sendDirect(store, 'ann', 'bob', 'lunch?');
			const { message: answer } = await store.appendMessage(
				{ ...direct('bob', 'ann', 'yes'), replyTo: question.id },
				directKey('bob', 'ann'),
				null,
			);
			expect(question.replyTo).toBeNull();
			expect(answer.replyTo).toBe(question.id);
			expect(await store.history(directKey('ann', 'bob'), undefined, 10)).toEqual([
				question,
				answer,
			]);
			expect(await store.pending('ann', question.id, 10)).toEqual([answer]);
			expect(await store.findMessage(answer.id)).toEqual({
				message: answer,
				conversation: 'd:ann:bob',
				groupId: null,
			});
		});

		it('finds a group message with its group, and nothing for an unknown id', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const group = await crew(store, 'crew', ['ann', 'bob']);
			const sent = await sendToGroup(store, 'bob', group, 'hi');
			expect(await store.findMessage(sent.id)).toEqual({
				message: { id: sent.id, ...toGroup('bob', 'crew', 'hi'), replyTo: null },
				conversation: `g:${group.id}`,
				groupId: group.id,
			});
			expect(await store.findMessage(sent.id + 1)).toBeUndefined();
			expect(await store.findMessage(0)).toBeUndefined();
		});
	});

	describe('edits and deletes (§7.4)', () => {
		it('edits the text everywhere: history, pending, findMessage and search', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			const sent = await sendDirect(store, 'ann', 'bob', 'see you at noon');
			const edited = await store.editMessage(sent.id, 'see you at midnight', later);
			const expected = { ...sent, body: 'see you at midnight', edited: later };
			expect(edited).toEqual(expected);
			expect(await store.history('d:ann:bob', undefined, 10)).toEqual([expected]);
			expect(await store.pending('bob', 0, 10)).toEqual([expected]);
			expect((await store.findMessage(sent.id))?.message).toEqual(expected);
			expect(await found(store, 'bob', 'noon')).toEqual([]);
			expect(await found(store, 'bob', 'midnight')).toEqual([sent.id]);
			expect(await found(store, 'ann', 'see you')).toEqual([sent.id]);

			const again = await store.editMessage(sent.id, 'tomorrow then', '2026-11-25T12:06:00.000Z');
			expect(again).toMatchObject({ body: 'tomorrow then', edited: '2026-11-25T12:06:00.000Z' });
			expect(await found(store, 'bob', 'midnight')).toEqual([]);
			expect(await found(store, 'bob', 'tomorrow')).toEqual([sent.id]);
			expect(await store.editMessage(sent.id + 1, 'nothing there', later)).toBeUndefined();
		});

		it('turns a deleted message into a tombstone that is neither pushed nor found', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob', 'cy']);
			const group = await crew(store, 'crew', ['ann', 'bob', 'cy']);
			const keep = await sendToGroup(store, 'ann', group, 'keep this one');
			const drop = await sendToGroup(store, 'ann', group, 'drop this one');
			const dm = await sendDirect(store, 'bob', 'cy', 'drop me too');
			await store.editMessage(drop.id, 'drop this edited one', later);

			// The tombstone keeps its id, sender, conversation, date and when it was last edited.
			const tombstone = { ...drop, body: '', edited: later, deleted: true };
			expect(await store.deleteMessage(drop.id)).toEqual(tombstone);
			expect(await store.deleteMessage(dm.id)).toEqual({ ...dm, body: '', deleted: true });

			const history = await store.history(`g:${group.id}`, undefined, 10);
			expect(history).toEqual([keep, tombstone]);
			expect((await store.history('d:bob:cy', undefined, 10))[0]).toMatchObject({
				id: dm.id,
				body: '',
				deleted: true,
			});
			for (const user of ['ann', 'bob', 'cy']) {
				expect(await bodies(store, user)).toEqual(['keep this one']);
				expect(await found(store, user, 'drop')).toEqual([]);
				expect(await found(store, user, 'one')).toEqual([keep.id]);
			}
			expect((await store.findMessage(drop.id))?.message).toEqual(tombstone);

			expect(await store.deleteMessage(drop.id)).toBeUndefined();
			expect(await store.editMessage(drop.id, 'back from the dead', later)).toBeUndefined();
			expect(await store.deleteMessage(keep.id + 1000)).toBeUndefined();
			expect((await store.findMessage(drop.id))?.message.body).toBe('');
		});

		it('omits edited and deleted from a message that has neither', async () => {
			const store = await open();
			await withUsers(store, ['ann', 'bob']);
			await sendDirect(store, 'ann', 'bob', 'plain');
			const [plain] = await store.history('d:ann:bob', undefined, 1);
			expect(Object.keys(plain!).sort()).toEqual(
				['body', 'date', 'from', 'group', 'id', 'replyTo', 'to'].sort(),
			);
		});
	});
}
