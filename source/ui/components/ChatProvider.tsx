import { useApp } from 'ink';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { Outbox, type ChatClient } from '../../client/index.js';
import type { ActionContext } from '../actions/action-context.js';
import { useChatSession } from '../hooks/use-chat-session.js';
import { useSavedView } from '../hooks/use-saved-view.js';
import { useTerminalTitle } from '../hooks/use-terminal-title.js';
import { useTypingExpiry } from '../hooks/use-typing-expiry.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { nextTypingExpiry } from '../state/typing-indicator.js';
import type { ViewStore } from '../storage/view-store.js';
import type { ChatState } from '../state/chat-state.js';
import { initialChatState } from '../state/chat-state.js';
import { createChatStore } from '../state/chat-store.js';
import { ChatActionsContext, ChatStoreContext } from './ChatContext.js';

export type ChatProviderProps = {
	readonly client: ChatClient;
	/** Ring the bell for mentions and direct messages elsewhere (default on). */
	readonly bell?: boolean;
	/** How to ring it (default: BEL on the terminal). */
	readonly ring?: () => void;
	/** Where the open conversation, the list's order and the drafts outlive a restart. */
	readonly views?: ViewStore;
	/** Sets the terminal title (the unread count); default: leave the title alone. */
	readonly setTitle?: (title: string) => void;
	/** What quitting does (default: unmount the Ink app). */
	readonly onQuit?: () => void;
	/** A prepared state instead of an empty one (benchmarks). */
	readonly initialState?: ChatState;
	/** Connect on mount (default true); false renders `initialState` without a server. */
	readonly autoConnect?: boolean;
	readonly children: ReactNode;
};

const terminalBell = () => {
	process.stdout.write('\u0007');
};

/** Owns the state store and the client's events; provides both to the screens. */
export function ChatProvider({
	client,
	bell,
	ring = terminalBell,
	onQuit,
	setTitle,
	views,
	initialState,
	autoConnect = true,
	children,
}: ChatProviderProps) {
	const { exit } = useApp();
	const [store] = useState(() =>
		createChatStore(initialState ?? initialChatState({ me: client.user, bell })),
	);
	const [outbox] = useState(() => new Outbox(client));
	useEffect(() => () => outbox.close(), [outbox]);
	const context = useMemo<ActionContext>(
		() => ({
			client,
			outbox,
			views,
			dispatch: store.dispatch,
			getState: store.getState,
			quit: onQuit ?? (() => exit()),
		}),
		[client, outbox, views, store, onQuit, exit],
	);
	useChatSession(context, ring, autoConnect);
	useSavedView(context, store, views);
	return (
		<ChatStoreContext.Provider value={store}>
			<ChatActionsContext.Provider value={context}>
				<TerminalTitle setTitle={setTitle} />
				<TypingExpiry />
				{children}
			</ChatActionsContext.Provider>
		</ChatStoreContext.Provider>
	);
}

function TerminalTitle({ setTitle }: { readonly setTitle?: (title: string) => void }) {
	useTerminalTitle(setTitle);
	return null;
}

function TypingExpiry() {
	const due = useChatState(nextTypingExpiry);
	useTypingExpiry(due, useChatActions().dispatch);
	return null;
}
