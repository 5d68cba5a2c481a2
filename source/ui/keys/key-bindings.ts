/**
 * Every key the UI answers to, as data: a command, the keys that run it, where (scope), and the
 * words the help overlay shows. Components ask `commandFor(key, scopes)`; nothing else matches keys.
 */
export type Binding = {
	readonly command: string;
	readonly keys: readonly string[];
	readonly scope: Scope;
	/** Shown in the help overlay; bindings without it are listed under their keys only. */
	readonly help?: string;
	/** How the keys are written in the help, when listing each would be noise. */
	readonly label?: string;
};

/** Where a binding applies, with its heading; the help overlay lists them in this order. */
export const scopes = {
	global: 'Everywhere',
	main: 'Conversations',
	input: 'Message input',
	selection: 'Selected message (↑ from an empty input)',
	pane: 'Users and Groups panes',
	groups: 'Groups pane',
	members: 'Members dialog',
	picker: 'Add-members dialog',
	list: 'Lists in dialogs',
	dialog: 'Dialogs',
	confirm: 'Confirmation',
	text: 'Editing text',
	login: 'Login screen',
} as const;
export type Scope = keyof typeof scopes;

const digits = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const keyBindings = [
	{ command: 'quit', keys: ['ctrl+c'], scope: 'global', help: 'Quit (the terminal is restored)' },
	{ command: 'help', keys: ['f1'], scope: 'global', help: 'This help' },
	{
		command: 'focus-next',
		keys: ['tab'],
		scope: 'main',
		help: 'Focus: Users → Groups → input (from the input only when there is nothing to complete)',
	},
	{ command: 'focus-previous', keys: ['shift+tab'], scope: 'main', help: 'Focus backwards' },
	{ command: 'switcher', keys: ['ctrl+k'], scope: 'main', help: 'Quick switcher (fuzzy)' },
	{ command: 'conversation-next', keys: ['ctrl+n'], scope: 'main', help: 'Next conversation' },
	{
		command: 'conversation-previous',
		keys: ['ctrl+p'],
		scope: 'main',
		help: 'Previous conversation',
	},
	{
		command: 'conversation-unread',
		keys: ['alt+a'],
		scope: 'main',
		help: 'Next conversation with unread',
	},
	{
		command: 'conversation-jump',
		keys: digits.map((digit) => `alt+${digit}`),
		scope: 'main',
		help: 'Jump to conversation 1…9',
		label: 'Alt+1…9',
	},
	{
		command: 'scroll-up',
		keys: ['pageup'],
		scope: 'main',
		help: 'Scroll back (loads older history)',
	},
	{ command: 'scroll-down', keys: ['pagedown'], scope: 'main', help: 'Scroll forward' },
	{
		command: 'scroll-bottom',
		keys: ['ctrl+end', 'alt+end'],
		scope: 'main',
		help: 'Back to the newest',
	},
	{ command: 'reconnect', keys: ['f5'], scope: 'main', help: 'Reconnect now (/reconnect)' },
	{ command: 'notices', keys: ['f2'], scope: 'main', help: 'Notices: every error, whole' },
	{
		command: 'search',
		keys: ['ctrl+f'],
		scope: 'main',
		help: 'Search the open conversation (/search for all)',
	},
	{ command: 'select-previous', keys: ['up'], scope: 'pane', help: 'Move up' },
	{ command: 'select-next', keys: ['down'], scope: 'pane', help: 'Move down' },
	{ command: 'open', keys: ['return'], scope: 'pane', help: 'Open the conversation' },
	{
		command: 'type-into-input',
		keys: [],
		scope: 'pane',
		help: 'Typing: goes to the input line (letters never run pane actions)',
		label: 'a…z 0…9',
	},
	// Alt+letter: typing a sentence in the pane can never leave or delete a group.
	{ command: 'group-create', keys: ['alt+n'], scope: 'groups', help: 'New group' },
	{ command: 'group-add', keys: ['alt+i'], scope: 'groups', help: 'Add (invite) members' },
	{ command: 'group-members', keys: ['alt+m'], scope: 'groups', help: 'Members: roles, remove' },
	{ command: 'group-leave', keys: ['alt+l'], scope: 'groups', help: 'Leave the group (asks)' },
	{ command: 'group-delete', keys: ['alt+d'], scope: 'groups', help: 'Delete the group (asks)' },
	{ command: 'submit', keys: ['return'], scope: 'input', help: 'Send, or run a /command' },
	{
		command: 'complete',
		// Tab is read by the screen (focus-next) and handed to the completion: listed here for the help.
		keys: [],
		scope: 'input',
		help: 'Complete a name after @, at the start of a line, in /dm /group /invite /kick (again: next); in an empty line or after a space Tab moves the focus',
		label: 'Tab',
	},
	{
		command: 'newline',
		keys: ['alt+return', 'ctrl+j'],
		scope: 'input',
		help: 'New line in the message',
	},
	{
		command: 'select-messages',
		keys: ['up'],
		scope: 'input',
		help: 'In an empty input: select a message (to reply, edit, delete)',
	},
	{
		command: 'compose-cancel',
		keys: ['escape'],
		scope: 'input',
		help: 'Cancel the reply or the edit (an edit gives back what you had typed)',
	},
	{
		command: 'recall-previous',
		keys: ['alt+up', 'ctrl+up'],
		scope: 'input',
		help: 'Previous input sent',
	},
	{
		command: 'recall-next',
		keys: ['alt+down', 'ctrl+down'],
		scope: 'input',
		help: 'Next input sent',
	},
	{ command: 'selection-previous', keys: ['up'], scope: 'selection', help: 'Older message' },
	{
		command: 'selection-next',
		keys: ['down'],
		scope: 'selection',
		help: 'Newer message (past the newest: back to the input)',
	},
	{
		command: 'reply',
		keys: ['r', 'return'],
		scope: 'selection',
		help: 'Reply to it (the quoted line shows above the input)',
	},
	{
		command: 'edit',
		keys: ['e'],
		scope: 'selection',
		help: 'Edit your message: Enter saves, Esc cancels',
	},
	{
		command: 'delete-message',
		keys: ['d'],
		scope: 'selection',
		help: "Delete it (asks; yours, or anyone's as group owner/admin)",
	},
	{
		command: 'selection-leave',
		keys: ['escape'],
		scope: 'selection',
		help: 'Back to the input (any other letter: typed into it)',
	},
	{ command: 'cursor-left', keys: ['left', 'ctrl+b'], scope: 'text' },
	{ command: 'cursor-right', keys: ['right'], scope: 'text' },
	{ command: 'word-left', keys: ['alt+left', 'ctrl+left', 'alt+b'], scope: 'text' },
	{ command: 'word-right', keys: ['alt+right', 'ctrl+right', 'alt+f'], scope: 'text' },
	{ command: 'cursor-home', keys: ['home', 'ctrl+a'], scope: 'text' },
	{ command: 'cursor-end', keys: ['end', 'ctrl+e'], scope: 'text' },
	{ command: 'delete-backward', keys: ['backspace'], scope: 'text' },
	{ command: 'delete-forward', keys: ['delete', 'ctrl+d'], scope: 'text' },
	{ command: 'delete-word', keys: ['ctrl+w', 'alt+backspace'], scope: 'text' },
	{
		command: 'delete-line',
		keys: ['ctrl+u'],
		scope: 'text',
		help: 'Clear the draft (all before the cursor)',
	},
	{ command: 'list-previous', keys: ['up', 'ctrl+p'], scope: 'list', help: 'Move up' },
	{ command: 'list-next', keys: ['down', 'ctrl+n'], scope: 'list', help: 'Move down' },
	{ command: 'accept', keys: ['return'], scope: 'dialog', help: 'Do it' },
	{ command: 'close', keys: ['escape'], scope: 'dialog', help: 'Close' },
	{ command: 'member-add', keys: ['alt+i'], scope: 'members', help: 'Add members' },
	{ command: 'member-remove', keys: ['alt+x', 'delete'], scope: 'members', help: 'Remove' },
	{ command: 'member-role', keys: ['alt+p'], scope: 'members', help: 'Make admin / make user' },
	{ command: 'toggle-mark', keys: ['space'], scope: 'picker', help: 'Mark / unmark' },
	{ command: 'toggle-role', keys: ['tab'], scope: 'picker', help: 'Role: user ↔ admin' },
	{ command: 'confirm-choose', keys: ['left', 'right', 'tab'], scope: 'confirm', help: 'Choose' },
	{ command: 'confirm-accept', keys: ['return'], scope: 'confirm', help: 'Do the chosen' },
	{ command: 'confirm-yes', keys: ['alt+y'], scope: 'confirm', help: 'Yes, at once' },
	{ command: 'confirm-no', keys: ['escape'], scope: 'confirm', help: 'No' },
	{ command: 'field-next', keys: ['tab', 'down'], scope: 'login', help: 'Next field' },
	{ command: 'field-previous', keys: ['shift+tab', 'up'], scope: 'login', help: 'Previous field' },
	{ command: 'login-submit', keys: ['return'], scope: 'login', help: 'Log in / register' },
	{ command: 'login-mode', keys: ['ctrl+r'], scope: 'login', help: 'Switch: log in ↔ register' },
] as const satisfies readonly Binding[];

export type Command = (typeof keyBindings)[number]['command'];
