import { expect, test } from 'vitest';
import { captureConsole } from '../../../source/ui/terminal/console-capture.js';

test('console output goes to interject while captured, and back to the console after', () => {
	const original = console.log;
	const seen: string[] = [];
	const release = captureConsole((text) => seen.push(text));
	try {
		console.log('a stray %s', 'line');
		console.error(new Error('boom').message);
	} finally {
		release();
	}
	expect(seen).toEqual(['a stray line\r\n', 'boom\r\n']);
	expect(console.log).toBe(original);
});
