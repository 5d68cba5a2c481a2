import { describe, expect, it } from 'vitest';
import { inputRows } from '../../../source/ui/layout/input-layout.js';
import { listWindowStart, screenLayout } from '../../../source/ui/layout/screen-layout.js';

describe('inputRows', () => {
	it('splits around the cursor', () => {
		expect(inputRows({ text: 'hello', cursor: 1 }, 20, 5)).toEqual([
			{ key: 'row-0', before: 'h', at: 'e', after: 'llo' },
		]);
		expect(inputRows({ text: 'hello', cursor: 5 }, 20, 5)).toEqual([
			{ key: 'row-0', before: 'hello', at: ' ', after: '' },
		]);
	});

	it('shows line breaks and long lines as rows, keeping the cursor row in view', () => {
		const rows = inputRows({ text: 'one\ntwo\nthree', cursor: 5 }, 20, 5);
		expect(rows.map((row) => row.before + (row.at ?? '') + row.after)).toEqual([
			'one',
			'two',
			'three',
		]);
		expect(rows[1]).toMatchObject({ before: 't', at: 'w' });
		const long = inputRows({ text: 'x'.repeat(50), cursor: 50 }, 11, 2);
		expect(long).toHaveLength(2);
		expect(long.at(-1)).toMatchObject({ at: ' ' });
	});

	it('masks passwords', () => {
		expect(inputRows({ text: 'secret', cursor: 6 }, 20, 1, '•')[0]).toMatchObject({
			before: '••••••',
			at: ' ',
		});
	});
});

describe('screenLayout', () => {
	it('fits everything in the terminal, one row spare', () => {
		const layout = screenLayout({ columns: 120, rows: 36 }, { membersPane: true, inputRows: 1 });
		expect(layout.height).toBe(35);
		expect(layout.sideWidth + layout.centerWidth + layout.membersWidth).toBe(120);
		expect(layout.usersHeight + layout.groupsHeight).toBe(34);
		expect(layout.conversationHeight + layout.inputHeight).toBe(34);
	});

	it('gives up the members pane and narrows the side at 60 columns', () => {
		const layout = screenLayout({ columns: 60, rows: 24 }, { membersPane: true, inputRows: 9 });
		expect(layout).toMatchObject({
			membersWidth: 0,
			sideWidth: 18,
			centerWidth: 42,
			inputHeight: 7,
			roomy: false,
		});
	});

	it('scrolls lists to keep the selection in view', () => {
		expect(listWindowStart(5, 4, 10)).toBe(0);
		expect(listWindowStart(100, 50, 10)).toBe(45);
		expect(listWindowStart(100, 99, 10)).toBe(90);
	});
});
