import { nowMs } from '../lib/stats.js';

export type TuiParams = { messages: number; keystrokes: number; columns: number; rows: number };

export type TuiResult = { typingMs: number[]; scrollingMs: number[]; mountMs: number };

const pageUp = '\u001b[5~';
const keyTimeoutMs = 5000;
const pageDown = '\u001b[6~';

/**
 * The real Ink App in a memory terminal (bench/lib/tui-harness.tsx) with one open conversation
 * of `messages` messages: milliseconds from a keystroke to the frame it causes, for typing into
 * the input and for paging through the history.
 */
export async function tuiKeystrokeToFrame(params: TuiParams): Promise<TuiResult> {
	// Loaded here, so the other workloads never pay for React and Ink; React's production build,
	// as the korichat CLI runs it (source/cli/production-mode.ts).
	process.env['NODE_ENV'] ??= 'production';
	const { longConversationState, mountHarness } = await import('../lib/tui-harness.js');
	const mountStarted = nowMs();
	const harness = await mountHarness({
		state: longConversationState(params.messages),
		columns: params.columns,
		rows: params.rows,
	});
	const mountMs = nowMs() - mountStarted;
	// A key that changes nothing draws no frame: fail loudly rather than wait forever.
	const press = (key: string) =>
		Promise.race([
			harness.press(key),
			new Promise<number>((_, reject) =>
				setTimeout(
					() => reject(new Error(`no frame after ${JSON.stringify(key)}`)),
					keyTimeoutMs,
				).unref(),
			),
		]);
	const typingMs: number[] = [];
	const scrollingMs: number[] = [];
	try {
		// Warm-up: the first frames compile the code paths.
		for (let index = 0; index < 20; index++) await press('x');
		for (let index = 0; index < params.keystrokes; index++) {
			typingMs.push(await press(String.fromCharCode(97 + (index % 26))));
		}
		for (let index = 0; index < params.keystrokes; index++) {
			// Up through older messages, then back down, so both directions are timed.
			const key = index % 40 < 20 ? pageUp : pageDown;
			scrollingMs.push(await press(key));
		}
	} finally {
		harness.unmount();
	}
	return { typingMs, scrollingMs, mountMs };
}
