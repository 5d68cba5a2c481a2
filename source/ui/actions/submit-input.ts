import { currentDraft } from '../state/chat-state.js';
import { openGroupName } from '../state/selectors.js';
import { inform, report, type ActionContext } from './action-context.js';
import { logOut, openDirect, openGroup, sendMessage } from './conversation-actions.js';
import { addMembers, createGroup, leaveGroup, removeMembers } from './group-actions.js';
import { saveEdit } from './message-actions.js';
import { openSearch } from './search-actions.js';
import { reconnectNow } from './session-actions.js';
import { parseSlashCommand, type SlashCommand } from './slash-commands.js';

/** The open group, or an explanation when a command needs one. */
function requireGroup(context: ActionContext, command: string): string | undefined {
	const group = openGroupName(context.getState());
	if (!group)
		report(
			context,
			new Error(`/${command} acts on the open group: open one first (/group <name>)`),
		);
	return group;
}

async function runCommand(context: ActionContext, command: SlashCommand): Promise<void> {
	const { dispatch } = context;
	switch (command.name) {
		case 'error':
			report(context, new Error(command.message));
			return;
		case 'dm':
			return openDirect(context, command.target);
		case 'group':
			return openGroup(context, command.target);
		case 'create':
			await createGroup(context, command.target);
			return;
		case 'help':
			dispatch({ type: 'overlay-opened', overlay: { kind: 'help' } });
			return;
		case 'logout':
			return logOut(context);
		case 'quit':
			context.quit();
			return;
		case 'reconnect':
			reconnectNow(context);
			return;
		case 'notices':
			dispatch({ type: 'overlay-opened', overlay: { kind: 'notices' } });
			return;
		case 'close': {
			const { open } = context.getState();
			if (open) dispatch({ type: 'conversation-closed', id: open });
			else report(context, new Error('/close closes the open conversation: none is open'));
			return;
		}
		case 'search':
			await openSearch(context, command.words, command.in);
			return;
		case 'passwd':
			dispatch({ type: 'overlay-opened', overlay: { kind: 'passwd' } });
			return;
		case 'bell': {
			const on = command.on ?? !context.getState().bell;
			dispatch({ type: 'bell-set', on });
			inform(context, on ? 'Bell on for mentions and direct messages' : 'Bell off');
			return;
		}
		case 'invite':
		case 'kick':
		case 'leave':
		case 'delete':
		case 'members': {
			const group = requireGroup(context, command.name);
			if (!group) return;
			if (command.name === 'invite') await addMembers(context, group, command.invitations);
			else if (command.name === 'kick') await removeMembers(context, group, [command.target]);
			else if (command.name === 'leave') await leaveGroup(context, group);
			else if (command.name === 'members')
				dispatch({ type: 'overlay-opened', overlay: { kind: 'members', group } });
			else
				dispatch({ type: 'overlay-opened', overlay: { kind: 'confirm', action: 'delete', group } });
			return;
		}
	}
}

async function runInput(context: ActionContext, text: string): Promise<void> {
	if (text.startsWith('/') && !text.startsWith('//')) {
		await runCommand(context, parseSlashCommand(text));
		return;
	}
	// The conversation open when the line's turn comes: after a `/create` typed just before it.
	const { open } = context.getState();
	if (!open) {
		context.dispatch({ type: 'draft-restored', key: '', text });
		report(context, new Error('Open a conversation first: Ctrl+K, /dm <user> or /group <name>'));
		return;
	}
	const ended = context.getState().conversations[open]?.ended;
	if (ended) {
		context.dispatch({ type: 'draft-restored', key: open, text });
		report(context, new Error(`${ended}: nothing can be sent here any more`));
		return;
	}
	// A reply started in this conversation goes with this message, and ends with it.
	const { compose } = context.getState();
	const replyTo =
		compose?.mode === 'reply' && compose.conversation === open ? compose.message.id : undefined;
	sendMessage(context, open, text.startsWith('//') ? text.slice(1) : text, replyTo);
	if (replyTo !== undefined) context.dispatch({ type: 'compose-ended' });
}

/** Lines still running, per client: each waits for the one before, as a shell runs commands. */
const running = new WeakMap<object, Promise<void>>();

/**
 * Enter in the input line: takes the line at once (the input is free for the next one), then a
 * `/command` runs, and anything else is sent to the open conversation (`//text` sends `/text`).
 */
export function submitInput(context: ActionContext): Promise<void> {
	const state = context.getState();
	const text = currentDraft(state).text;
	// While editing, Enter saves the new text (a line starting with / included).
	if (state.compose?.mode === 'edit' && state.compose.conversation === state.open)
		return saveEdit(context, state.compose, text);
	if (text.trim() === '') return Promise.resolve();
	context.dispatch({ type: 'draft-sent', text });
	const run = () => runInput(context, text);
	const next = (running.get(context.client) ?? Promise.resolve()).then(run, run);
	running.set(context.client, next);
	return next;
}
