import type { ChatMessage } from '../../source/client/index.js';
import type { Harness, HarnessOutput } from '../lib/tui-harness.js';
import { nowMs, sleep } from '../lib/stats.js';

export type TuiParams = { messages: number; keystrokes: number; columns: number; rows: number };

/** The ways of drawing whose bytes are counted: Ink's two, and the app's screen writer. */
export const drawingOutputs = ['ink-standard', 'ink-incremental', 'writer'] as const;
export type DrawingOutput = (typeof drawingOutputs)[number] & HarnessOutput;

/** Bytes written to the terminal per event, and milliseconds from the event to the first write. */
export type DrawingResult = {
	keyBytes: number[];
	messageBytes: number[];
	pageUpBytes: number[];
	keyMs: number[];
	messageMs: number[];
};

export type TuiResult = {
	/** Ink's debug output: keystroke → rendered frame, keys back to back (rendering cost). */
	typingMs: number[];
	scrollingMs: number[];
	mountMs: number;
	drawing: Record<DrawingOutput, DrawingResult>;
};

const pageUp = '\u001b[5~';
const pageDown = '\u001b[6~';
const backspace = '\u007f';
const keyTimeoutMs = 5000;
/** Events at a human pace, longer apart than a frame: each is drawn on its own, never merged. */
const paceMs = 25;
/** Typed, then erased, again and again: the input line stays one line, as when chatting. */
const wordLength = 30;

// A key that changes nothing draws no frame: fail loudly rather than wait forever.
function bounded(what: string, drawn: Promise<number>): Promise<number> {
	return Promise.race([
		drawn,
		new Promise<number>((_, reject) =>
			setTimeout(() => reject(new Error(`no frame after ${what}`)), keyTimeoutMs).unref(),
		),
	]);
}

const typedKey = (index: number) => {
	const inWord = index % (2 * wordLength);
	return inWord < wordLength ? String.fromCharCode(97 + (inWord % 26)) : backspace;
};

/**
 * The real Ink App in a memory terminal (bench/lib/tui-harness.tsx) with one open conversation
 * of `messages` messages: milliseconds from a keystroke to the frame it causes, for typing into
 * the input and for paging through the history; then, for each way of drawing, the bytes that
 * reach the terminal per keystroke, per incoming message and per PageUp.
 */
export async function tuiKeystrokeToFrame(params: TuiParams): Promise<TuiResult> {
	// Loaded here, so the other workloads never pay for React and Ink; React's production build,
	// as the korichat CLI runs it (source/cli/production-mode.ts).
	process.env['NODE_ENV'] ??= 'production';
	// With CI set, Ink's own output modes write nothing (is-in-ci, read when Ink loads).
	process.env['CI'] = 'false';
	process.env['CONTINUOUS_INTEGRATION'] = 'false';
	const { longConversationState, mountHarness } = await import('../lib/tui-harness.js');
	const state = longConversationState(params.messages);
	const mount = (output: HarnessOutput) =>
		mountHarness({ state, columns: params.columns, rows: params.rows, output });
	const mountStarted = nowMs();
	const harness = await mount('ink-debug');
	const mountMs = nowMs() - mountStarted;
	const press = (key: string) => bounded(JSON.stringify(key), harness.press(key));
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
	const drawing = {} as Record<DrawingOutput, DrawingResult>;
	for (const output of drawingOutputs) {
		drawing[output] = await measureDrawing(await mount(output), params);
	}
	return { typingMs, scrollingMs, mountMs, drawing };
}

/** Counts the bytes of each event alone: the event, then a pause past any trailing frame. */
async function measureDrawing(harness: Harness, params: TuiParams): Promise<DrawingResult> {
	const result: DrawingResult = {
		keyBytes: [],
		messageBytes: [],
		pageUpBytes: [],
		keyMs: [],
		messageMs: [],
	};
	const event = async (what: string, cause: () => Promise<number>) => {
		const before = harness.bytes();
		const ms = await bounded(what, cause());
		await sleep(paceMs);
		return { ms, bytes: harness.bytes() - before };
	};
	const key = (sequence: string) => event(JSON.stringify(sequence), () => harness.press(sequence));
	try {
		for (let index = 0; index < 2 * wordLength; index++) await key(typedKey(index));
		for (let index = 0; index < params.keystrokes; index++) {
			const { ms, bytes } = await key(typedKey(index));
			result.keyMs.push(ms);
			result.keyBytes.push(bytes);
		}
		const messages = Math.max(10, Math.floor(params.keystrokes / 4));
		for (let index = 0; index < messages; index++) {
			const { ms, bytes } = await event('a message', () =>
				harness.receive(incoming(params.messages + 1 + index)),
			);
			result.messageMs.push(ms);
			result.messageBytes.push(bytes);
		}
		const pages = Math.max(10, Math.floor(params.keystrokes / 4));
		for (let index = 0; index < pages; index++) {
			result.pageUpBytes.push((await key(pageUp)).bytes);
		}
	} finally {
		harness.unmount();
	}
	return result;
}

const sentences = [
	'the kettle is on, come down when you are ready',
	'did anyone see where I left the good teapot? the blue one with the chipped lid',
	'scones are in the oven',
	'I will bring the jam and the clotted cream, and some lemon curd if there is any left at the shop on the corner',
];

/** A message from the peer of longConversationState, now, of varying length. */
function incoming(id: number): ChatMessage {
	return {
		id,
		from: 'josie',
		to: 'adrian',
		group: null,
		body: `${id}: ${sentences[id % sentences.length]}`,
		date: new Date().toISOString(),
	};
}
