import { accountCommands } from './account-commands.js';
import { changeCommands } from './change-commands.js';
import type { Command } from './command.js';
import { conversationCommands } from './conversation-commands.js';
import { groupCommands } from './group-commands.js';
import { messageCommands } from './message-commands.js';

/** Every CHAT/1.0 verb and its preconditions, checked in one place by the connection. */
export const commandTable: ReadonlyMap<string, Command> = new Map(
	Object.entries({
		...accountCommands,
		...groupCommands,
		...messageCommands,
		...conversationCommands,
		...changeCommands,
	}),
);
