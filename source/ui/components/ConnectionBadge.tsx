import { Text } from 'ink';
import { useEffect, useState } from 'react';
import type { ServerAddress } from '../../client/index.js';
import { useChatState } from '../hooks/use-chat.js';

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

/** ● online / ◌ connecting / ○ offline (retrying in n s), from the client's connection events. */
export function ConnectionBadge() {
	const connection = useChatState((state) => state.connection);
	const left = useSecondsUntil(connection.state === 'offline' ? connection.retryAt : undefined);
	switch (connection.state) {
		case 'online':
			return <Text color="green">● online</Text>;
		case 'connecting':
			return <Text color="yellow">◌ connecting…</Text>;
		case 'idle':
			return connection.error ? (
				<Text color="red">○ {connection.error}</Text>
			) : (
				<Text color="yellow">◌ connecting…</Text>
			);
		default: {
			const seconds =
				left ??
				(connection.retryInMs === undefined ? undefined : Math.ceil(connection.retryInMs / 1000));
			const retry = seconds === undefined ? '' : `, retry in ${seconds} s · F5 now`;
			return <Text color="red">○ offline{retry}</Text>;
		}
	}
}

/** `host:port`, or `tls://host:port` when the connection is encrypted. */
export const serverLabel = (address: ServerAddress) =>
	`${address.tls ? 'tls://' : ''}${address.key}`;
