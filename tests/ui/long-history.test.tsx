import { afterEach, describe, expect, it } from 'vitest';
import { longConversationState, mountHarness, type Harness } from '../../bench/lib/tui-harness.js';
import { textWidth } from '../../source/ui/text/text-width.js';

let harness: Harness | undefined;
afterEach(() => {
	harness?.unmount();
	harness = undefined;
});

const lines = (frame: string) => frame.split('\n');

describe('a conversation of 10,000 messages', () => {
	it('renders only the visible slice, scrolls with PgUp/PgDn and still takes keystrokes', async () => {
		harness = await mountHarness({ state: longConversationState(10_000), columns: 120, rows: 36 });
		expect(harness.frame()).toContain('10000: ');
		expect(lines(harness.frame())).toHaveLength(35);
		for (let page = 0; page < 20; page += 1) await harness.press('\u001b[5~');
		const back = harness.frame();
		expect(back).not.toContain('10000: ');
		expect(back).toMatch(/↓ \d+ newer/);
		await harness.press('typing still works');
		expect(harness.frame()).toContain('› typing still works');
		await harness.press('\u001b[6~');
		expect(harness.frame()).not.toEqual(back);
		await harness.press('\u001b[1;5F');
		expect(harness.frame()).toContain('10000: ');
	});

	it('adapts to a resize down to 60 columns, every line within the width', async () => {
		harness = await mountHarness({ state: longConversationState(200), columns: 120, rows: 36 });
		await harness.resize(60, 20);
		const frame = harness.frame();
		expect(lines(frame)).toHaveLength(19);
		for (const line of lines(frame)) expect(textWidth(line)).toBeLessThanOrEqual(60);
		expect(frame).toContain('Users');
		expect(frame).toContain('Groups');
		expect(frame).toContain('200: ');
	});

	it('asks for a wider terminal below 60 columns, and comes back when widened', async () => {
		harness = await mountHarness({ state: longConversationState(20), columns: 100, rows: 30 });
		await harness.resize(50, 20);
		expect(harness.frame().replace(/\s+/g, ' ')).toContain(
			'at least 60 columns wide; this one has 50',
		);
		await harness.resize(80, 20);
		expect(harness.frame()).toContain('20: ');
	});
});
