import { Box } from 'ink';
import { loadOlder, openConversation } from '../actions/conversation-actions.js';
import { openSearch } from '../actions/search-actions.js';
import { reconnectNow } from '../actions/session-actions.js';
import { useSelectionKeys } from '../hooks/use-selection-keys.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useTerminalSize } from '../hooks/use-terminal-size.js';
import { screenLayout } from '../layout/screen-layout.js';
import { commandFor, jumpIndex } from '../keys/match-key.js';
import { currentDraft, parseConversationId, type ConversationId } from '../state/chat-state.js';
import { nextUnread, openGroupName, steppedConversation } from '../state/selectors.js';
import { ConversationHeader } from './ConversationHeader.js';
import { draftRowCount, InputBox } from './InputBox.js';
import { keyPriority } from './KeypressProvider.js';
import { GroupsPane } from './GroupsPane.js';
import { MembersPane } from './MembersPane.js';
import { MessageView, useMessageWindow } from './MessageView.js';
import { OverlayLayer } from './OverlayLayer.js';
import { StatusBar } from './StatusBar.js';
import { UsersPane } from './UsersPane.js';

/** Users and Groups on the left, the conversation in the middle, members on the right if wide. */
export function MainScreen() {
	// Slices, not the whole state: typing changes only the draft, and this screen only when the
	// draft's row count does (the InputBox renders the text itself).
	const actions = useChatActions();
	const overlay = useChatState((state) => state.overlay);
	const me = useChatState((state) => state.me);
	// A group that ended for you (removed, deleted) has no members pane.
	const group = useChatState((state) =>
		state.open && state.conversations[state.open]?.ended ? undefined : openGroupName(state),
	);
	const conversation = useChatState((state) =>
		state.open ? state.conversations[state.open] : undefined,
	);
	const size = useTerminalSize();
	const probe = screenLayout(size, { membersPane: group !== undefined, inputRows: 1 });
	const inputRows = useChatState((state) =>
		draftRowCount(currentDraft(state).text, probe.inputWidth),
	);
	const layout = screenLayout(size, { membersPane: group !== undefined, inputRows });
	const selected = useChatState((state) =>
		state.selection?.conversation === state.open ? state.selection?.id : undefined,
	);
	const window = useMessageWindow({
		conversation,
		me,
		width: layout.messageWidth,
		height: layout.messageHeight,
		selected,
	});
	useSelectionKeys({ width: layout.messageWidth, height: layout.messageHeight });

	useKeypress(
		(key) => {
			const current = actions.getState();
			if (current.overlay) return false;
			const command = commandFor(key, ['global', 'main']);
			const open = (id: ConversationId | undefined) => {
				if (id) void openConversation(actions, id);
			};
			const page = Math.max(1, layout.messageHeight - 2);
			const scroll = (rows: number) =>
				actions.dispatch({
					type: 'message-view-scrolled',
					rows,
					width: layout.messageWidth,
					height: layout.messageHeight,
				});
			switch (command) {
				case 'help':
					actions.dispatch({ type: 'overlay-opened', overlay: { kind: 'help' } });
					return true;
				case 'focus-next':
					// In the input, Tab completes a name; only with nothing to complete does it move on.
					actions.dispatch(
						current.focus === 'input'
							? { type: 'input-tabbed' }
							: { type: 'focus-cycled', step: 1 },
					);
					return true;
				case 'focus-previous':
					actions.dispatch({ type: 'focus-cycled', step: -1 });
					return true;
				case 'switcher':
					actions.dispatch({ type: 'overlay-opened', overlay: { kind: 'switcher' } });
					return true;
				case 'conversation-next':
				case 'conversation-previous':
					open(steppedConversation(current, command === 'conversation-next' ? 1 : -1));
					return true;
				case 'conversation-unread': {
					const unread = nextUnread(current);
					if (unread) open(unread);
					else actions.dispatch({ type: 'notice-shown', kind: 'info', text: 'No unread messages' });
					return true;
				}
				case 'conversation-jump':
					open(current.order[jumpIndex(key) ?? -1]);
					return true;
				case 'scroll-up': {
					const shown = current.open ? current.conversations[current.open] : undefined;
					if (shown && (shown.history === 'failed' || shown.history === 'unloaded'))
						void loadOlder(actions, shown.id);
					scroll(page);
					return true;
				}
				case 'scroll-down':
					scroll(-page);
					return true;
				case 'reconnect':
					reconnectNow(actions);
					return true;
				case 'notices':
					actions.dispatch({ type: 'overlay-opened', overlay: { kind: 'notices' } });
					return true;
				case 'search':
					void openSearch(
						actions,
						'',
						current.open ? parseConversationId(current.open).name : undefined,
					);
					return true;
				case 'scroll-bottom':
					actions.dispatch({ type: 'message-view-pinned' });
					return true;
				default:
					return false;
			}
		},
		{ priority: keyPriority.screen },
	);

	return (
		<Box width={size.columns} height={layout.height} flexDirection="column">
			<Box height={layout.height - 1}>
				<Box width={layout.sideWidth} flexDirection="column">
					<UsersPane width={layout.sideWidth} height={layout.usersHeight} />
					<GroupsPane width={layout.sideWidth} height={layout.groupsHeight} roomy={layout.roomy} />
				</Box>
				<Box width={layout.centerWidth} flexDirection="column">
					<Box
						height={layout.conversationHeight}
						flexDirection="column"
						borderStyle="round"
						borderColor="gray"
						paddingX={1}
					>
						<ConversationHeader newer={window.newer} width={layout.messageWidth} />
						<MessageView
							window={window}
							conversation={conversation}
							height={layout.messageHeight}
						/>
					</Box>
					<InputBox textWidth={layout.inputWidth} height={layout.inputHeight} />
				</Box>
				{group && layout.membersWidth > 0 ? (
					<MembersPane group={group} width={layout.membersWidth} height={layout.height - 1} />
				) : null}
			</Box>
			<StatusBar width={size.columns} />
			{overlay ? (
				<OverlayLayer overlay={overlay} width={size.columns} height={layout.height} />
			) : null}
		</Box>
	);
}
