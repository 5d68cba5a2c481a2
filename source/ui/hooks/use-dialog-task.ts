import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Runs a dialog's action (which resolves with an error text or undefined): shows it busy, keeps
 * the error in place, and ignores a second run while one is under way.
 */
export function useDialogTask() {
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | undefined>(undefined);
	const mounted = useRef(true);
	useEffect(
		() => () => {
			mounted.current = false;
		},
		[],
	);
	const run = useCallback(
		async (task: () => Promise<string | undefined>, onDone?: () => void) => {
			if (busy) return;
			setBusy(true);
			setError(undefined);
			const failure = await task();
			if (!mounted.current) return;
			setBusy(false);
			setError(failure);
			if (!failure) onDone?.();
		},
		[busy],
	);
	return { busy, error, setError, run };
}
