import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { ChatClient, type ChatMessage } from '../../source/client/index.js';
import { App } from '../../source/ui/components/App.js';
import { shareInkOutputCaches } from '../../source/ui/terminal/ink-output-caches.js';
import { ScreenWriter } from '../../source/ui/terminal/screen-writer.js';
import {
	conversationId,
	initialChatState,
	newConversation,
	type ChatState,
} from '../../source/ui/state/chat-state.js';

/** A terminal in memory: it counts the bytes written to it and records when each write arrives. */
class MemoryTerminal extends EventEmitter {
	readonly isTTY = true;
	writes = 0;
	bytes = 0;
	last = '';
	/** What was written since the last `drain`, for a terminal emulator to replay. */
	pending: string[] = [];
	#waiters: (() => void)[] = [];

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (data: string): boolean => {
		this.writes += 1;
		this.bytes += Buffer.byteLength(data);
		this.last = data;
		this.pending.push(data);
		for (const waiter of this.#waiters.splice(0)) waiter();
		return true;
	};

	nextWrite(): Promise<void> {
		return new Promise((resolve) => this.#waiters.push(resolve));
	}
}

/** The screen writer as the app runs it, remembering the last whole frame Ink gave it. */
class RecordingScreenWriter extends ScreenWriter {
	lastFrame = '';

	override write(frame: string): boolean {
		this.lastFrame = frame;
		return super.write(frame);
	}
}

/**
 * How frames reach the memory terminal:
 * - `ink-debug`: Ink's debug mode, every render written whole at once (times rendering alone);
 * - `ink-standard`, `ink-incremental`: Ink's own terminal output at the app's maxFps, redrawing
 *   the whole screen or only the lines that changed (`incrementalRendering`);
 * - `writer`: the app's way, Ink in debug mode into the curses-like ScreenWriter.
 */
export type HarnessOutput = 'ink-debug' | 'ink-standard' | 'ink-incremental' | 'writer';

/** The app's frame rate cap when Ink throttles its own output (source/cli/open-ui.tsx had 60). */
const appMaxFps = 60;

// is-in-ci's test: with CI set, Ink's standard and incremental modes write nothing at all.
const inCi = () =>
	['CI', 'CONTINUOUS_INTEGRATION'].some(
		(key) => key in process.env && process.env[key] !== '0' && process.env[key] !== 'false',
	);

/** Keyboard input in memory, shaped like a TTY's stdin as Ink reads it. */
class MemoryKeyboard extends EventEmitter {
	readonly isTTY = true;
	#pending: string | null = null;
	setRawMode() {}
	setEncoding() {}
	ref() {}
	unref() {}
	resume() {}
	pause() {}
	read = (): string | null => {
		const data = this.#pending;
		this.#pending = null;
		return data;
	};
	type(data: string): void {
		this.#pending = data;
		this.emit('readable');
	}
}

export type Harness = {
	/** The latest whole frame Ink drew, as text with colours (ink-debug and writer outputs). */
	readonly frame: () => string;
	/** Bytes written to the terminal so far. */
	readonly bytes: () => number;
	/** Everything written to the terminal since the last call. */
	readonly drain: () => string;
	/** Sends keys; resolves with the milliseconds until the terminal got the next write. */
	readonly press: (sequence: string) => Promise<number>;
	/** A message arrives from the server; resolves with the milliseconds until the next write. */
	readonly receive: (message: ChatMessage) => Promise<number>;
	readonly resize: (columns: number, rows: number) => Promise<void>;
	readonly unmount: () => void;
};

/**
 * The real App over a prepared state, in a memory terminal and without a server: the entry a
 * benchmark uses to time keystroke → frame and count the bytes it writes, and tests use to
 * check large or narrow screens.
 */
export async function mountHarness(options: {
	readonly state: ChatState;
	readonly columns?: number;
	readonly rows?: number;
	readonly output?: HarnessOutput;
}): Promise<Harness> {
	const output = options.output ?? 'ink-debug';
	if ((output === 'ink-standard' || output === 'ink-incremental') && inCi()) {
		throw new Error(`Ink writes nothing in ${output} output while CI is set: run with CI=false`);
	}
	// As source/cli/open-ui.tsx draws: Ink's line caches kept from frame to frame.
	await shareInkOutputCaches();
	const terminal = new MemoryTerminal(options.columns ?? 120, options.rows ?? 36);
	const keyboard = new MemoryKeyboard();
	const writer =
		output === 'writer' ? new RecordingScreenWriter(terminal, { frameIntervalMs: 16 }) : undefined;
	// Never connected: the harness measures the UI, not the network.
	const client = new ChatClient({ server: '127.0.0.1:9', reconnect: false });
	const first = terminal.nextWrite();
	const instance = render(
		<App client={client} initialState={options.state} autoConnect={false} ring={() => undefined} />,
		{
			stdout: (writer ?? terminal) as unknown as NodeJS.WriteStream,
			stdin: keyboard as unknown as NodeJS.ReadStream,
			// ink-debug: each render is written at once, whole: this times rendering. (Without it
			// Ink throttles to `maxFps`, which delays a key that follows a frame within 1/maxFps.)
			debug: output === 'ink-debug' || output === 'writer',
			incrementalRendering: output === 'ink-incremental',
			maxFps: appMaxFps,
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	await first;
	const timed = async (cause: () => void) => {
		const drawn = terminal.nextWrite();
		const started = performance.now();
		cause();
		await drawn;
		return performance.now() - started;
	};
	return {
		frame: () => writer?.lastFrame ?? terminal.last,
		bytes: () => terminal.bytes,
		drain: () => terminal.pending.splice(0).join(''),
		press: (sequence) => timed(() => keyboard.type(sequence)),
		receive: (message) => timed(() => client.emit('message', message)),
		async resize(columns, rows) {
			terminal.columns = columns;
			terminal.rows = rows;
			terminal.emit('resize');
			// Ink redraws at once (outside CI), then React again with the new size: wait for calm.
			for (let quiet = false, frames = 0; !quiet && frames < 50; frames += 1) {
				quiet = await Promise.race([
					terminal.nextWrite().then(() => false),
					new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30)),
				]);
			}
		},
		unmount() {
			instance.unmount();
			writer?.close();
			void client.close();
		},
	};
}

const words = 'tea scones jam cream milk sugar lemon honey biscuit cake pot cup saucer spoon'.split(
	' ',
);

/**
 * A state with one open direct conversation of `count` messages between `me` and `peer`, spread
 * over days, some long enough to wrap: a long history to scroll through.
 */
export function longConversationState(count: number, me = 'adrian', peer = 'josie'): ChatState {
	const start = Date.UTC(2026, 0, 1, 8, 0, 0);
	const messages: ChatMessage[] = Array.from({ length: count }, (_, index) => {
		const length = 3 + ((index * 7) % 40);
		const body = Array.from({ length }, (_, word) => words[(index + word) % words.length]).join(
			' ',
		);
		const from = index % 3 === 0 ? me : peer;
		return {
			id: index + 1,
			from,
			to: from === me ? peer : me,
			group: null,
			body: `${index + 1}: ${body}${index % 10 === 0 ? ` @${me}` : ''}`,
			date: new Date(start + index * 7 * 60_000).toISOString(),
		};
	});
	const id = conversationId('user', peer);
	const base = initialChatState({ me });
	return {
		...base,
		connection: { state: 'online' },
		users: [
			{ name: me, displayName: me, online: true },
			{ name: peer, displayName: peer, online: true },
		],
		conversations: { [id]: { ...newConversation(id), messages, history: 'complete' as const } },
		order: [id],
		open: id,
	};
}
