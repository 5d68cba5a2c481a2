import { Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ServerAddress } from '../../client/index.js';
import { useChatState } from '../hooks/use-chat.js';
import type { Connection } from '../state/chat-state.js';

/** Seconds left until `at` (ms since the epoch), counted down once a second. */
function useSecondsUntil(at: number | undefined): number | undefined {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		if (at === undefined) return;
		setNow(Date.now());
		const timer = setInterval(() => setNow(Date.now()), 1000);
		return () => clearInterval(timer);
	}, [at]);
	return at === undefined ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The badge's words and colour: `● online`, `○ offline, retry in 3 s · F5 now`… */
export function connectionText(
	connection: Connection,
	secondsLeft: number | undefined,
): { text: string; color: string } {
	switch (connection.state) {
		case 'online':
			return { text: '● online', color: 'green' };
		case 'connecting':
			return { text: '◌ connecting…', color: 'yellow' };
		case 'idle':
			return connection.error
				? { text: `○ ${connection.error}`, color: 'red' }
				: { text: '◌ connecting…', color: 'yellow' };
		default: {
			const seconds =
				secondsLeft ??
				(connection.retryInMs === undefined ? undefined : Math.ceil(connection.retryInMs / 1000));
			const retry = seconds === undefined ? '' : `, retry in ${seconds} s · F5 now`;
			return { text: `○ offline${retry}`, color: 'red' };
		}
	}
}

/** The connection as the client reports it; while offline, a countdown to the next attempt. */
export function useConnectionText(): { text: string; color: string } {
	const connection = useChatState((state) => state.connection);
	const left = useSecondsUntil(connection.state === 'offline' ? connection.retryAt : undefined);
	return connectionText(connection, left);
}

/** ● online / ◌ connecting / ○ offline (retry in n s), from the client's connection events. */
export function ConnectionBadge() {
	const { text, color } = useConnectionText();
	return <Text color={color}>{text}</Text>;
}

/** `host:port`, or `tls://host:port` when the connection is encrypted. */
export const serverLabel = (address: ServerAddress) =>
	`${address.tls ? 'tls://' : ''}${address.key}`;
