import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../source/client/index.js';
import {
	layoutMessages,
	messageWindow,
	type Row,
} from '../../../source/ui/layout/message-layout.js';
import { composeLabel } from '../../../source/ui/layout/compose-label.js';

const text = (row: Row) => row.parts.map((part) => part.text).join('');
const at = (minute: number) => new Date(2026, 10, 24, 10, minute).toISOString();
const options = { width: 60, me: 'adrian' };

function chat(extra: Partial<ChatMessage>[]): ChatMessage[] {
	return extra.map((fields, index) => ({
		id: index + 10,
		from: index % 2 ? 'adrian' : 'alice',
		to: 'chat',
		group: 'chat',
		body: `message ${index}`,
		date: at(index),
		...fields,
	}));
}

describe('replies, edits and deletes in the message view', () => {
	it('quotes the message answered above a reply: author and first words, or why not', () => {
		const messages = chat([
			{ body: 'first words of a rather long message that goes on and on and on' },
			{ replyTo: 10, body: 'an answer' },
			{ deleted: true, body: '' },
			{ replyTo: 12, body: 'to a deleted one' },
			{ replyTo: 3, body: 'to an old one' },
		]);
		const lines = layoutMessages(messages, options).map(text);
		const quoteOf = (body: string) => lines[lines.findIndex((line) => line.includes(body)) - 1];
		expect(quoteOf('an answer')).toMatch(/│ ↳ alice: first words of a rather long .*…$/);
		expect(quoteOf('to a deleted one')).toContain('↳ message deleted');
		expect(quoteOf('to an old one')).toContain('↳ a message not loaded');
	});

	it('marks an edited message "(edited)" and shows a deleted one as "message deleted"', () => {
		const messages = chat([
			{ body: 'fixed it', edited: at(5) },
			{ body: '', deleted: true },
			{ body: 'x'.repeat(41), edited: at(6) },
		]);
		const rows = layoutMessages(messages, options);
		const lines = rows.map(text);
		expect(lines.find((line) => line.includes('fixed it'))).toMatch(/fixed it \(edited\)$/);
		const deleted = rows.find((row) => text(row).includes('message deleted'))!;
		expect(deleted.parts.at(-1)).toEqual({ text: 'message deleted', style: 'note' });
		// No room after a full line: "(edited)" gets a line of its own.
		expect(lines.at(-1)).toMatch(/│ \(edited\)$/);
	});

	it('draws the selected message with a bright separator', () => {
		const messages = chat([{ body: 'one' }, { body: 'two' }]);
		const window = messageWindow(messages, undefined, { ...options, height: 10, selected: 10 });
		const selected = window.rows.filter((row) => row.message === 10);
		expect(text(selected[0]!)).toContain(' ▶ one');
		expect(selected[0]!.parts.some((part) => part.style === 'selected')).toBe(true);
		expect(text(window.rows.find((row) => row.message === 11)!)).toContain(' │ two');
	});

	it('says over the input what is being replied to or edited', () => {
		const [message] = chat([{ body: 'lunch at noon tomorrow?' }]);
		expect(composeLabel({ mode: 'reply', conversation: 'group:chat', message: message! }, 60)).toBe(
			' ↳ replying to alice: lunch at noon tomorrow? · Esc cancels ',
		);
		expect(
			composeLabel(
				{ mode: 'edit', conversation: 'group:chat', id: 1, saved: { text: '', cursor: 0 } },
				60,
			),
		).toContain('editing');
	});
});
