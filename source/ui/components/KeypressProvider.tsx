import { useStdin } from 'ink';
import { createContext, useEffect, useMemo, useRef, type ReactNode } from 'react';
import { KeyReader } from '../keys/key-reader.js';
import { parseKey, type KeyPress } from '../keys/parse-key.js';
import { graphemes } from '../text/text-width.js';

/** Returns true when it used the key, which then goes no further. */
export type KeyHandler = (key: KeyPress) => boolean | void;

type Subscriber = { readonly priority: number; readonly handler: { readonly current: KeyHandler } };

export type KeypressRouter = { readonly subscribe: (subscriber: Subscriber) => () => void };

export const KeypressContext = createContext<KeypressRouter | undefined>(undefined);

/**
 * Key handlers by priority: the app (Ctrl+C) first, then an open overlay, message selection
 * mode, the screen, the focused widget.
 */
export const keyPriority = {
	app: 100,
	overlay: 80,
	selection: 60,
	screen: 50,
	widget: 10,
} as const;

/**
 * The one keypress router (as in gemini-cli): reads Ink's input events, parses each key once, and
 * hands it to subscribers from the highest priority down until one takes it.
 */
export function KeypressProvider({ children }: { readonly children: ReactNode }) {
	const { internal_eventEmitter: events, setRawMode, isRawModeSupported } = useStdin();
	const subscribers = useRef<Subscriber[]>([]);

	useEffect(() => {
		if (isRawModeSupported) setRawMode(true);
		const reader = new KeyReader();
		const queue: KeyPress[] = [];
		let draining = false;
		let stopped = false;
		const deliver = (key: KeyPress): boolean =>
			[...subscribers.current].some((subscriber) => subscriber.handler.current(key) === true);
		const drain = async () => {
			if (draining) return;
			draining = true;
			try {
				while (queue.length > 0 && !stopped) {
					const key = queue.shift()!;
					// Typed text nobody takes whole (a pane, not a field) is a run of single keys: `ntea`.
					if (!deliver(key) && key.name === 'text' && !key.pasted) {
						queue.unshift(...graphemes(key.text).map((character) => parseKey(character)));
					}
					// Let React render what that key changed before the next key of a burst: a dialog
					// it opened then subscribes in time for the keys typed into it.
					if (queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
				}
			} finally {
				draining = false;
			}
		};
		const onInput = (input: string) => {
			queue.push(...reader.read(input));
			void drain();
		};
		events.on('input', onInput);
		return () => {
			stopped = true;
			events.off('input', onInput);
			if (isRawModeSupported) setRawMode(false);
		};
	}, [events, setRawMode, isRawModeSupported]);

	const router = useMemo<KeypressRouter>(
		() => ({
			subscribe(subscriber) {
				// Highest priority first; among equals the newest (the innermost, just opened) first.
				subscribers.current = [subscriber, ...subscribers.current].sort(
					(a, b) => b.priority - a.priority,
				);
				return () => {
					subscribers.current = subscribers.current.filter((entry) => entry !== subscriber);
				};
			},
		}),
		[],
	);
	return <KeypressContext.Provider value={router}>{children}</KeypressContext.Provider>;
}
