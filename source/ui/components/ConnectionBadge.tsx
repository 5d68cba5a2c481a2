import { Text } from 'ink';
import type { ServerAddress } from '../../client/index.js';
import { useChatState } from '../hooks/use-chat.js';

/** ● online / ◌ connecting / ○ offline (retrying in n s), from the client's connection events. */
export function ConnectionBadge() {
	const connection = useChatState((state) => state.connection);
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
			const retry =
				connection.retryInMs === undefined
					? ''
					: `, retrying in ${Math.ceil(connection.retryInMs / 1000)} s`;
			return <Text color="red">○ offline{retry}</Text>;
		}
	}
}

/** `host:port`, or `tls://host:port` when the connection is encrypted. */
export const serverLabel = (address: ServerAddress) =>
	`${address.tls ? 'tls://' : ''}${address.key}`;
