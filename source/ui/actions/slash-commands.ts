import { isValidName } from '../../client/names.js';
import type { Invitation } from '../../client/index.js';

/** What a line starting with `/` asks for, or why it cannot be done. */
export type SlashCommand =
	| { readonly name: 'dm' | 'group' | 'create' | 'kick'; readonly target: string }
	| { readonly name: 'invite'; readonly invitations: readonly Invitation[] }
	| {
			readonly name:
				| 'leave'
				| 'delete'
				| 'logout'
				| 'quit'
				| 'help'
				| 'members'
				| 'reconnect'
				| 'notices'
				| 'close';
	  }
	| { readonly name: 'bell'; readonly on: boolean | undefined }
	/** `in`: one conversation (a user or a group); undefined: all of them. */
	| { readonly name: 'search'; readonly words: string; readonly in: string | undefined }
	| { readonly name: 'passwd' }
	| { readonly name: 'error'; readonly message: string };

/** The slash commands, as the help overlay lists them. */
export const slashCommands = [
	['/dm <user>', 'open a direct conversation'],
	['/group <name>', 'open a group'],
	['/create <group>', 'create a group and open it'],
	['/invite <user>[:admin|:user] …', 'add members to the open group'],
	['/kick <user>', 'remove a member of the open group'],
	['/members', 'members and roles of the open group'],
	['/leave', 'leave the open group'],
	['/delete', 'delete the open group (asks first)'],
	['/search <words>', 'search every conversation (word* matches the start of words)'],
	['/search @user|#group <words>', 'search one conversation (Ctrl+F: the open one)'],
	['/passwd', 'change your password (your other devices are logged out)'],
	['/bell [on|off]', 'bell for mentions and direct messages'],
	['/reconnect', 'connect again now (also F5)'],
	['/notices', 'every error of this session, whole (also F2)'],
	['/close', 'close the conversation (frees its Alt+number)'],
	['/logout', 'end the session'],
	['/quit', 'quit'],
	['/help', 'this help'],
] as const;

const error = (message: string): SlashCommand => ({ name: 'error', message });

function invitation(word: string): Invitation | string {
	const [user = '', role, extra] = word.split(':');
	if (!isValidName(user) || extra !== undefined) return `"${word}" is not a user name`;
	if (role === undefined || role === '') return { user: user.toLowerCase() };
	if (role !== 'admin' && role !== 'user') return `the role in "${word}" must be admin or user`;
	return { user: user.toLowerCase(), role };
}

/** `/search [@user|#group|-in name] words…` */
function parseSearch(args: readonly string[]): SlashCommand {
	let rest = [...args];
	let where: string | undefined;
	const first = rest[0] ?? '';
	if (first === '-in' || first === '--in') {
		where = rest[1];
		rest = rest.slice(2);
		if (!where) return error('usage: /search -in <user or group> <words>');
	} else if (/^[@#]./.test(first)) {
		where = first.slice(1);
		rest = rest.slice(1);
	}
	if (where !== undefined && !isValidName(where))
		return error(`"${where}" is not a name: use a-z, 0-9, _ - .`);
	const words = rest.join(' ').trim();
	if (!/[\p{L}\p{N}]/u.test(words))
		return error('usage: /search [@user|#group] <words> (word* matches the start of words)');
	if ([...words].length > 200) return error('a search is at most 200 characters');
	return { name: 'search', words, in: where?.toLowerCase() };
}

/** Reads `/verb args…`; `text` starts with `/`. */
export function parseSlashCommand(text: string): SlashCommand {
	const [verb = '', ...args] = text.slice(1).trim().split(/\s+/);
	const command = verb.toLowerCase();
	switch (command) {
		case 'dm':
		case 'msg':
		case 'query':
		case 'group':
		case 'join':
		case 'create':
		case 'kick':
		case 'remove': {
			const target = args[0];
			const name =
				({ msg: 'dm', query: 'dm', join: 'group', remove: 'kick' } as const)[command as 'msg'] ??
				command;
			if (!target || args.length > 1) return error(`usage: /${command} <name>`);
			if (!isValidName(target)) return error(`"${target}" is not a name: use a-z, 0-9, _ - .`);
			return { name: name as 'dm' | 'group' | 'create' | 'kick', target: target.toLowerCase() };
		}
		case 'invite':
		case 'add': {
			if (args.length === 0) return error('usage: /invite <user>[:role] …');
			const invitations: Invitation[] = [];
			for (const word of args.flatMap((arg) => arg.split(',')).filter(Boolean)) {
				const parsed = invitation(word);
				if (typeof parsed === 'string') return error(parsed);
				invitations.push(parsed);
			}
			return { name: 'invite', invitations };
		}
		case 'leave':
		case 'part':
			return { name: 'leave' };
		case 'delete':
		case 'logout':
		case 'quit':
		case 'help':
		case 'members':
		case 'reconnect':
		case 'notices':
		case 'close':
			return { name: command };
		case 'exit':
			return { name: 'quit' };
		case 'passwd':
		case 'password':
			return { name: 'passwd' };
		case 'search':
		case 'find':
			return parseSearch(args);
		case 'bell': {
			const word = args[0]?.toLowerCase();
			if (word === undefined) return { name: 'bell', on: undefined };
			if (word === 'on' || word === 'off') return { name: 'bell', on: word === 'on' };
			return error('usage: /bell [on|off]');
		}
		default:
			return error(`unknown command /${verb}: /help lists them`);
	}
}
