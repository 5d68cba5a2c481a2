import { useContext, useLayoutEffect, useRef } from 'react';
import { KeypressContext, type KeyHandler } from '../components/KeypressProvider.js';

/** Subscribes `handler` to the keypress router while `isActive`; it sees the latest props. */
export function useKeypress(
	handler: KeyHandler,
	options: { priority: number; isActive?: boolean },
): void {
	const router = useContext(KeypressContext);
	if (!router) throw new Error('useKeypress must be used inside <KeypressProvider>');
	const latest = useRef(handler);
	latest.current = handler;
	const { priority, isActive = true } = options;
	// A layout effect subscribes during the commit, so a dialog opened by one key already gets
	// the next key of the same burst (`Ctrl+K jsi Enter` typed faster than a frame).
	useLayoutEffect(() => {
		if (!isActive) return;
		return router.subscribe({ priority, handler: latest });
	}, [router, priority, isActive]);
}
