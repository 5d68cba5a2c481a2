import { Box } from 'ink';
import type { Overlay } from '../state/chat-state.js';
import { AddMembersDialog } from './AddMembersDialog.js';
import { GroupConfirmDialog, MessageConfirmDialog } from './ConfirmDialog.js';
import { CreateGroupDialog } from './CreateGroupDialog.js';
import { HelpOverlay } from './HelpOverlay.js';
import { MembersDialog } from './MembersDialog.js';
import { NoticesView } from './NoticesView.js';
import { PasswordDialog } from './PasswordDialog.js';
import { QuickSwitcher } from './QuickSwitcher.js';
import { SearchDialog } from './SearchDialog.js';

/** The open dialog, centred over the main screen; it takes every key until closed. */
export function OverlayLayer({
	overlay,
	width,
	height,
}: {
	readonly overlay: Overlay;
	readonly width: number;
	readonly height: number;
}) {
	const dialogWidth = Math.min(
		width - 4,
		overlay.kind === 'help' || overlay.kind === 'notices' || overlay.kind === 'search' ? 84 : 64,
	);
	const room = height - 2;
	return (
		<Box
			position="absolute"
			width={width}
			height={height}
			alignItems="center"
			justifyContent="center"
		>
			{overlay.kind === 'help' ? <HelpOverlay width={dialogWidth} height={room} /> : null}
			{overlay.kind === 'notices' ? <NoticesView width={dialogWidth} height={room} /> : null}
			{overlay.kind === 'switcher' ? <QuickSwitcher width={dialogWidth} height={room} /> : null}
			{overlay.kind === 'create-group' ? <CreateGroupDialog width={dialogWidth} /> : null}
			{overlay.kind === 'add-members' ? (
				<AddMembersDialog group={overlay.group} width={dialogWidth} height={room} />
			) : null}
			{overlay.kind === 'members' ? (
				<MembersDialog group={overlay.group} width={dialogWidth} height={room} />
			) : null}
			{overlay.kind === 'confirm' ? (
				<GroupConfirmDialog action={overlay.action} group={overlay.group} width={dialogWidth} />
			) : null}
			{overlay.kind === 'confirm-delete' ? (
				<MessageConfirmDialog message={overlay.message} width={dialogWidth} />
			) : null}
			{overlay.kind === 'search' ? (
				<SearchDialog search={overlay} width={dialogWidth} height={room} />
			) : null}
			{overlay.kind === 'passwd' ? <PasswordDialog width={dialogWidth} /> : null}
		</Box>
	);
}
