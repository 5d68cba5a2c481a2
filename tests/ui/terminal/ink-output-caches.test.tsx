import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, test } from 'vitest';
import { shareInkOutputCaches } from '../../../source/ui/terminal/ink-output-caches.js';

type Caches = { styledChars: Map<string, unknown>; widths: Map<string, unknown> };
type OutputInstance = { caches: Caches; get: () => { output: string } };
type OutputClass = new (size: { width: number; height: number }) => OutputInstance;

const colours = ['red', 'green', 'blue', 'yellow'] as const;

/** A window of a long list of coloured, partly wide-character lines, as paging shows one. */
function Page({ from }: { from: number }) {
	return (
		<Box flexDirection="column">
			{Array.from({ length: 12 }, (_, row) => {
				const line = from + row;
				return (
					<Text key={line}>
						<Text color={colours[line % colours.length]} bold={line % 3 === 0}>
							{`line ${line}`}
						</Text>
						{line % 5 === 0 ? ' 茶と菓子 ' : ' tea and scones '}
						<Text dimColor>{'·'.repeat(line % 7)}</Text>
					</Text>
				);
			})}
		</Box>
	);
}

/** Every frame drawn while paging down and back up. */
function pageThrough(pages: readonly number[]): string[] {
	const app = render(<Page from={0} />);
	const frames: string[] = [];
	for (const from of pages) {
		app.rerender(<Page from={from} />);
		frames.push(app.lastFrame() ?? '');
	}
	app.unmount();
	return frames;
}

async function inkOutput(): Promise<OutputClass> {
	const url = new URL('./output.js', import.meta.resolve('ink')).href;
	return ((await import(url)) as { default: OutputClass }).default;
}

const maxLines = 50;

describe("Ink's output caches kept from frame to frame", () => {
	test('draw every frame exactly as per-frame caches do, keep one cache for all, and bound it', async () => {
		const pages = [
			...Array.from({ length: 40 }, (_, page) => page * 3),
			...Array.from({ length: 40 }, (_, page) => (39 - page) * 3),
		];
		const fresh = pageThrough(pages);
		expect(new Set(fresh).size).toBeGreaterThan(30);

		// The first install in this file's process: a small bound, so it is reached.
		expect(await shareInkOutputCaches(maxLines)).toBe('shared');
		expect(await shareInkOutputCaches(maxLines)).toBe('already shared');
		expect(pageThrough(pages)).toEqual(fresh);

		const Output = await inkOutput();
		const first = new Output({ width: 20, height: 1 });
		const second = new Output({ width: 20, height: 1 });
		first.get();
		second.get();
		expect(second.caches).toBe(first.caches);
		// 120 distinct lines were drawn: the cache started afresh rather than keep them all.
		const { styledChars } = first.caches;
		expect(styledChars.size).toBeGreaterThan(0);
		expect(styledChars.size).toBeLessThanOrEqual(maxLines + 12);
	});
});
