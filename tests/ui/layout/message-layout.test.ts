/* eslint-disable no-control-regex -- these tests look for control characters */
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../source/client/index.js';
import {
	layoutMessage,
	layoutMessages,
	messageColumns,
	messageWindow,
	scrollMessages,
	type Row,
} from '../../../source/ui/layout/message-layout.js';
import { textWidth } from '../../../source/ui/text/text-width.js';

const text = (row: Row) => row.parts.map((part) => part.text).join('');

function conversation(count: number, body = (index: number) => `message ${index}`): ChatMessage[] {
	const start = new Date(2026, 10, 24, 22, 0).getTime();
	return Array.from({ length: count }, (_, index) => ({
		id: index + 1,
		from: index % 2 ? 'josie' : 'adrian',
		to: index % 2 ? 'adrian' : 'josie',
		group: null,
		body: body(index),
		date: new Date(start + index * 30 * 60_000).toISOString(),
	}));
}

const options = { width: 60, me: 'adrian' };

describe('layoutMessage', () => {
	it('puts a day separator above the first message of each day', () => {
		const messages = conversation(6);
		const rows = messages.map((entry, index) => layoutMessage(entry, messages[index - 1], options));
		const days = rows
			.flat()
			.filter((row) => row.parts[0]?.style === 'day')
			.map(text);
		expect(days).toHaveLength(2);
		expect(days[0]).toContain('Tuesday 24 November 2026');
		expect(days[1]).toContain('Wednesday 25 November 2026');
	});

	it('wraps the text under its own column, every row within the width', () => {
		const [entry] = conversation(1, () => 'word '.repeat(40).trim());
		const rows = layoutMessage(entry!, entry, options);
		const columns = messageColumns(60);
		expect(rows.length).toBeGreaterThan(3);
		for (const row of rows) expect(textWidth(text(row))).toBeLessThanOrEqual(60);
		expect(text(rows[0]!)).toMatch(/^\d\d:\d\d {2,}adrian │ word/);
		expect(text(rows[1]!).slice(0, columns.time + columns.nick)).toBe(
			' '.repeat(columns.time + columns.nick),
		);
	});

	it('cuts a word longer than the line, and keeps line breaks of the body', () => {
		const [entry] = conversation(1, () => `${'x'.repeat(100)}\nsecond line`);
		const bodies = layoutMessage(entry!, entry, options).map((row) => text(row).split(' │ ')[1]);
		expect(bodies.at(-1)).toBe('second line');
		expect(bodies.slice(0, -1).join('')).toBe('x'.repeat(100));
	});

	it('shows control characters as visible escapes, never raw', () => {
		const [entry] = conversation(1, () => 'evil \u001b]0;pwned\u0007 \u001b[2J done');
		const rows = layoutMessage(entry!, entry, options).map(text).join('\n');
		expect(rows).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
		expect(rows).toContain('\\x1b]0;pwned\\x07');
	});

	it('marks mentions, yours apart', () => {
		const [entry] = conversation(1, () => 'hi @adrian and @josie, mail a@b.c');
		const parts = layoutMessage(entry!, entry, options)[0]!.parts;
		expect(parts.filter((part) => part.style === 'mention-me').map((part) => part.text)).toEqual([
			'@adrian',
		]);
		expect(parts.filter((part) => part.style === 'mention').map((part) => part.text)).toEqual([
			'@josie',
		]);
	});

	it('lays a message out once per width, and again when it, the width, the reader or its day changes', () => {
		const [first, second] = conversation(2);
		const rows = layoutMessage(second!, first, options);
		// The same rows, not equal ones: the message view's memo compares rows by identity.
		expect(layoutMessage(second!, first, options)).toBe(rows);
		expect(layoutMessage(second!, first, { ...options, width: 50 })).not.toBe(rows);
		const wider = layoutMessage(second!, first, { ...options, width: 80 });
		expect(wider).not.toBe(rows);
		expect(text(wider[0]!)).toContain('josie │ message 1');
		expect(layoutMessage(second!, first, { ...options, me: 'josie' })[0]!.parts).toContainEqual(
			expect.objectContaining({ style: 'nick', color: 'white' }),
		);
		const edited = { ...second!, body: 'edited' };
		expect(text(layoutMessage(edited, first, options)[0]!)).toContain('│ edited');
		const dayBefore = { ...first!, date: '2026-11-20T10:00:00.000Z' };
		expect(layoutMessage(second!, dayBefore, options)[0]!.parts[0]!.style).toBe('day');
		expect(layoutMessage(second!, first, options)[0]!.parts[0]!.style).toBe('time');
	});

	it('tags every row of a message with its id, not day rows', () => {
		const [entry] = conversation(1, () => 'word '.repeat(40).trim());
		const rows = layoutMessage(entry!, undefined, options);
		expect(rows[0]!.message).toBeUndefined();
		expect(rows.slice(1).every((row) => row.message === entry!.id)).toBe(true);
	});

	it('drops the time column in narrow views', () => {
		expect(messageColumns(40).time).toBe(0);
		expect(messageColumns(80)).toEqual({ time: 6, nick: 12, body: 59 });
	});
});

describe('messageWindow and scrollMessages', () => {
	const messages = conversation(10_000);
	const view = { ...options, height: 10 };

	it('renders only the visible rows, newest at the bottom', () => {
		const window = messageWindow(messages, undefined, view);
		expect(window.rows).toHaveLength(10);
		expect(text(window.rows.at(-1)!)).toContain('message 9999');
		expect(window).toMatchObject({ atOldest: false, newer: 0 });
	});

	it('scrolls back and forward by rows, and returns to following the newest', () => {
		const back = scrollMessages(messages, undefined, 25, view);
		expect(back).toBeDefined();
		const window = messageWindow(messages, back, view);
		expect(text(window.rows.at(-1)!)).not.toContain('message 9999');
		expect(window.newer).toBeGreaterThan(0);
		expect(scrollMessages(messages, back, -25, view)).toBeUndefined();
		expect(scrollMessages(messages, back, -1000, view)).toBeUndefined();
	});

	it('keeps the view still while newer messages arrive', () => {
		const back = scrollMessages(messages, undefined, 40, view);
		const before = messageWindow(messages, back, view).rows.map(text);
		const more = [
			...messages,
			...conversation(3).map((entry, index) => ({ ...entry, id: 20_000 + index })),
		];
		expect(messageWindow(more, back, view).rows.map(text)).toEqual(before);
	});

	it('stops at the oldest message with the view full, and says so', () => {
		const short = conversation(30);
		const top = scrollMessages(short, undefined, 10_000, view);
		const window = messageWindow(short, top, view);
		expect(window.rows).toHaveLength(10);
		expect(window.atOldest).toBe(true);
		expect(window.rows.map(text).join('\n')).toContain('message 0');
	});

	it('lays out the same rows as a whole conversation would have, only fewer', () => {
		const all = layoutMessages(messages.slice(0, 300), options);
		const window = messageWindow(messages.slice(0, 300), undefined, view);
		expect(window.rows.map(text)).toEqual(all.slice(-10).map(text));
	});

	it('scrolls a banner above the oldest message, like a row of its own', () => {
		const short = conversation(30);
		const withBanner = { ...view, banner: 'Beginning of the conversation' };
		const top = scrollMessages(short, undefined, 10_000, withBanner);
		const rows = messageWindow(short, top, withBanner).rows.map(text);
		expect(rows[0]).toContain('Beginning of the conversation');
		expect(rows[1]).toContain('Tuesday 24 November 2026');
	});

	it('never scrolls a conversation shorter than the view', () => {
		const tiny = conversation(2);
		expect(scrollMessages(tiny, undefined, 5, view)).toBeUndefined();
		expect(messageWindow(tiny, undefined, view).atOldest).toBe(true);
	});
});
