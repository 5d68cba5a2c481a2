import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { ChatClient, type ChatMessage } from '../../source/client/index.js';
import { App } from '../../source/ui/components/App.js';
import {
	conversationId,
	initialChatState,
	newConversation,
	type ChatState,
} from '../../source/ui/state/chat-state.js';

/** A terminal in memory: Ink renders into it, and it records when each frame arrives. */
class MemoryTerminal extends EventEmitter {
	readonly isTTY = true;
	frames = 0;
	last = '';
	#waiters: (() => void)[] = [];

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (data: string): boolean => {
		this.frames += 1;
		this.last = data;
		for (const waiter of this.#waiters.splice(0)) waiter();
		return true;
	};

	nextFrame(): Promise<void> {
		return new Promise((resolve) => this.#waiters.push(resolve));
	}
}

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
	/** The latest frame, as text with colours. */
	readonly frame: () => string;
	/** Sends keys; resolves with the milliseconds until the UI drew the next frame. */
	readonly press: (sequence: string) => Promise<number>;
	readonly resize: (columns: number, rows: number) => Promise<void>;
	readonly unmount: () => void;
};

/**
 * The real App over a prepared state, in a memory terminal and without a server: the entry a
 * benchmark uses to time keystroke → frame, and tests use to check large or narrow screens.
 */
export async function mountHarness(options: {
	readonly state: ChatState;
	readonly columns?: number;
	readonly rows?: number;
}): Promise<Harness> {
	const terminal = new MemoryTerminal(options.columns ?? 120, options.rows ?? 36);
	const keyboard = new MemoryKeyboard();
	// Never connected: the harness measures the UI, not the network.
	const client = new ChatClient({ server: '127.0.0.1:9', reconnect: false });
	const first = terminal.nextFrame();
	const instance = render(
		<App client={client} initialState={options.state} autoConnect={false} ring={() => undefined} />,
		{
			stdout: terminal as unknown as NodeJS.WriteStream,
			stdin: keyboard as unknown as NodeJS.ReadStream,
			// Each render is written at once, whole: this times rendering. (Without it Ink also
			// throttles to `maxFps`, 30 by default, which delays a key that follows a frame within
			// 34 ms: a render option of the app, not a cost of the UI.)
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	await first;
	return {
		frame: () => terminal.last,
		async press(sequence) {
			const drawn = terminal.nextFrame();
			const started = performance.now();
			keyboard.type(sequence);
			await drawn;
			return performance.now() - started;
		},
		async resize(columns, rows) {
			terminal.columns = columns;
			terminal.rows = rows;
			terminal.emit('resize');
			// Ink redraws at once (outside CI), then React again with the new size: wait for calm.
			for (let quiet = false, frames = 0; !quiet && frames < 50; frames += 1) {
				quiet = await Promise.race([
					terminal.nextFrame().then(() => false),
					new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30)),
				]);
			}
		},
		unmount() {
			instance.unmount();
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
