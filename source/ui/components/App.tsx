import { Box, Text } from 'ink';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useNoticeExpiry } from '../hooks/use-notice-expiry.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { minimumColumns } from '../layout/screen-layout.js';
import { commandFor } from '../keys/match-key.js';
import { ChatProvider, type ChatProviderProps } from './ChatProvider.js';
import { KeypressProvider, keyPriority } from './KeypressProvider.js';
import { LoginScreen } from './LoginScreen.js';
import { MainScreen } from './MainScreen.js';

export type AppProps = Omit<ChatProviderProps, 'children'>;

function Screens() {
	const me = useChatState((state) => state.me);
	const notice = useChatState((state) => state.notice);
	const actions = useChatActions();
	const { columns } = useTerminalSize();
	useNoticeExpiry(notice, actions.dispatch);
	useKeypress(
		(key) => {
			if (commandFor(key, ['global']) !== 'quit') return false;
			actions.quit();
			return true;
		},
		{ priority: keyPriority.app },
	);
	if (columns < minimumColumns) {
		return (
			<Box flexDirection="column">
				<Text color="yellow">
					KoriChat needs a terminal at least {minimumColumns} columns wide; this one has {columns}.
				</Text>
				<Text dimColor>Widen the window (nothing is lost meanwhile), or press Ctrl+C to quit.</Text>
			</Box>
		);
	}
	return me ? <MainScreen /> : <LoginScreen />;
}

/** The KoriChat terminal UI: the login screen, then the main screen, over one ChatClient. */
export function App(props: AppProps) {
	return (
		<KeypressProvider>
			<ChatProvider {...props}>
				<Screens />
			</ChatProvider>
		</KeypressProvider>
	);
}
