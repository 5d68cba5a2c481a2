import { afterEach, describe, expect, test } from 'vitest';
import {
	longConversationState,
	mountHarness,
	type Harness,
} from '../../../bench/lib/tui-harness.js';
import type { ChatMessage } from '../../../source/client/index.js';
import { freshFrameBytes, XtermScreen } from '../../helpers/xterm-screen.js';

let harness: Harness | undefined;
const screens: XtermScreen[] = [];
afterEach(() => {
	harness?.unmount();
	harness = undefined;
	for (const screen of screens.splice(0)) screen.dispose();
});

/** Longer than the writer's frame interval: a frame held back meanwhile has been drawn. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

const message = (id: number, body: string): ChatMessage => ({
	id,
	from: 'josie',
	to: 'adrian',
	group: null,
	body,
	date: '2026-03-01T10:00:00.000Z',
});

describe('the real App drawn through the screen writer', () => {
	test('the terminal shows what a fresh draw of each frame shows, while typing, receiving, paging and resizing', async () => {
		harness = await mountHarness({
			state: longConversationState(300),
			columns: 120,
			rows: 40,
			output: 'writer',
		});
		const shown = new XtermScreen(120, 40);
		screens.push(shown);
		const check = async (what: string) => {
			await settle();
			await shown.write(harness!.drain());
			const fresh = new XtermScreen(shown.terminal.cols, shown.terminal.rows);
			screens.push(fresh);
			await fresh.write(freshFrameBytes(harness!.frame()));
			expect(shown.cells(), what).toEqual(fresh.cells());
			expect(shown.text(), what).toContain('›');
		};
		await check('first frame');
		for (const key of ['h', 'e', 'l', 'l', 'o', ' ', '漢', '😀', '\u007f']) {
			// A trailing space draws the same frame (Ink trims line ends): then nothing is written.
			await Promise.race([harness.press(key), settle()]);
			await check(`typed ${JSON.stringify(key)}`);
		}
		const before = harness.bytes();
		await harness.press('!');
		await settle();
		expect(harness.bytes() - before).toBeLessThanOrEqual(200);
		await check('typed "!"');
		await harness.receive(message(301, 'a new message: scones are in the oven 中文 😀'));
		await check('a message arrived');
		await harness.receive(message(302, 'and a long one that wraps '.repeat(8)));
		await check('a long message arrived');
		for (const key of ['\u001b[5~', '\u001b[5~', '\u001b[6~']) {
			await harness.press(key);
			await check(`paged ${JSON.stringify(key)}`);
		}
		await harness.resize(90, 30);
		shown.resize(90, 30);
		await check('narrower and shorter');
		await harness.resize(130, 44);
		shown.resize(130, 44);
		await check('wider and taller');
	});
});
