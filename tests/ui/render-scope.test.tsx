import { afterEach, describe, expect, it, vi } from 'vitest';
import { longConversationState, mountHarness, type Harness } from '../../bench/lib/tui-harness.js';
import type * as RowBlocks from '../../source/ui/layout/row-blocks.js';
import type * as ScreenLayout from '../../source/ui/layout/screen-layout.js';

// Counts renders through functions each screen calls once per render.
const renders = vi.hoisted(() => ({ mainScreen: 0, messageView: 0 }));

vi.mock('../../source/ui/layout/row-blocks.js', async (importOriginal) => {
	const original = await importOriginal<typeof RowBlocks>();
	return {
		...original,
		rowBlocks: (...args: Parameters<typeof original.rowBlocks>) => {
			renders.messageView += 1;
			return original.rowBlocks(...args);
		},
	};
});

vi.mock('../../source/ui/layout/screen-layout.js', async (importOriginal) => {
	const original = await importOriginal<typeof ScreenLayout>();
	return {
		...original,
		screenLayout: (...args: Parameters<typeof original.screenLayout>) => {
			renders.mainScreen += 1;
			return original.screenLayout(...args);
		},
	};
});

let harness: Harness | undefined;
afterEach(() => {
	harness?.unmount();
	harness = undefined;
});

const reset = () => Object.assign(renders, { mainScreen: 0, messageView: 0 });

describe('what a key renders again, with 10,000 messages open', () => {
	it('typing re-renders the input line only, until the draft needs another row', async () => {
		harness = await mountHarness({ state: longConversationState(10_000), columns: 120, rows: 36 });
		reset();
		for (const character of 'hello') await harness.press(character);
		expect(harness.frame()).toContain('› hello');
		expect(renders).toEqual({ mainScreen: 0, messageView: 0 });

		await harness.press(' tea'.repeat(30));
		expect(renders.mainScreen).toBeGreaterThan(0);
		expect(renders.messageView).toBeGreaterThan(0);
	});

	it('paging re-renders the message view', async () => {
		harness = await mountHarness({ state: longConversationState(10_000), columns: 120, rows: 36 });
		reset();
		await harness.press('\u001b[5~');
		expect(renders.messageView).toBe(1);
		expect(harness.frame()).toMatch(/↓ \d+ newer/);
	});
});
