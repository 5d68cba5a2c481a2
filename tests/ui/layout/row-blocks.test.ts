import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../source/client/index.js';
import {
	layoutMessages,
	messageWindow,
	type Row,
} from '../../../source/ui/layout/message-layout.js';
import { bodyStart, joinLines, rowBlocks } from '../../../source/ui/layout/row-blocks.js';

const text = (row: Row) => row.parts.map((part) => part.text).join('');

function conversation(count: number): ChatMessage[] {
	const start = new Date(2026, 10, 24, 23, 0).getTime();
	return Array.from({ length: count }, (_, index) => ({
		id: index + 1,
		from: index % 2 ? 'josie' : 'adrian',
		to: index % 2 ? 'adrian' : 'josie',
		group: null,
		body: `${index + 1}: ${'tea scones jam '.repeat(1 + (index % 4))}@josie`,
		date: new Date(start + index * 20 * 60_000).toISOString(),
	}));
}

const options = { width: 60, me: 'adrian' };

describe('rowBlocks', () => {
	it("groups each message's rows, keeps day rows apart, and loses or reorders nothing", () => {
		const rows = layoutMessages(conversation(8), options);
		const blocks = rowBlocks(rows);
		expect(blocks.flatMap((block) => block.rows)).toEqual(rows);
		for (const block of blocks) {
			const ids = new Set(block.rows.map((row) => row.message));
			expect(ids.size).toBe(1);
			if (block.rows[0]!.message === undefined) expect(block.rows).toHaveLength(1);
		}
		expect(blocks.filter((block) => block.rows[0]!.parts[0]!.style === 'day')).toHaveLength(2);
		expect(new Set(blocks.map((block) => block.key)).size).toBe(blocks.length);
	});

	it('makes a block of the visible part of a message cut by the top of the view', () => {
		const window = messageWindow(conversation(20), undefined, { ...options, height: 7 });
		const [top] = rowBlocks(window.rows);
		expect(top!.rows[0]!.message).toBeDefined();
		expect(window.rows[0]).toBe(top!.rows[0]);
	});
});

describe('joinLines', () => {
	it('puts a line break before each later line and merges neighbours of one style', () => {
		const joined = joinLines([
			[
				{ text: '10:00 ', style: 'time' },
				{ text: 'josie', style: 'nick', color: 'green' },
				{ text: ' │ ', style: 'separator' },
			],
			[{ text: '       │ ', style: 'separator' }],
			[{ text: '       │ ', style: 'separator' }],
		]);
		expect(joined).toEqual([
			{ text: '10:00 ', style: 'time' },
			{ text: 'josie', style: 'nick', color: 'green' },
			{ text: ' │ \n       │ \n       │ ', style: 'separator' },
		]);
	});

	it('keeps one line per row in each column, so lead and body stay side by side', () => {
		const rows = layoutMessages(conversation(4), options).filter((row) => row.message === 4);
		expect(rows.length).toBeGreaterThan(1);
		const lead = joinLines(rows.map((row) => row.parts.slice(0, bodyStart(row))));
		const body = joinLines(rows.map((row) => row.parts.slice(bodyStart(row))));
		const lines = (parts: typeof lead) =>
			parts
				.map((part) => part.text)
				.join('')
				.split('\n');
		expect(lines(lead)).toHaveLength(rows.length);
		expect(lines(body)).toHaveLength(rows.length);
		expect(lines(lead).map((line, index) => line + lines(body)[index])).toEqual(rows.map(text));
		expect(body.filter((part) => part.style === 'mention')).toHaveLength(1);
	});

	it('finds no body in day rows', () => {
		const [day] = layoutMessages(conversation(1), options);
		expect(bodyStart(day!)).toBe(0);
	});
});
