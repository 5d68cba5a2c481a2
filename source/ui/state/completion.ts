import type { ChatState } from './chat-state.js';
import { openGroupName } from './selectors.js';
import type { TextInput } from './text-input.js';

/** A Tab completion in progress: repeated Tabs cycle through `candidates` (WeeChat, irssi). */
export type Completion = {
	/** The draft before the first Tab. */
	readonly base: TextInput;
	/** Where the completed word starts in `base`. */
	readonly start: number;
	readonly candidates: readonly string[];
	readonly index: number;
	/** The draft the last Tab produced: any other edit ends the completion. */
	readonly result: string;
};

const commandNames = [
	'dm',
	'group',
	'create',
	'invite',
	'kick',
	'members',
	'leave',
	'delete',
	'bell',
	'reconnect',
	'notices',
	'close',
	'logout',
	'quit',
	'help',
];

type Word = { readonly start: number; readonly prefix: string };

/** The word before the cursor (from the last white space). */
function wordAt(input: TextInput): Word {
	const before = input.text.slice(0, input.cursor);
	const start = Math.max(before.lastIndexOf(' '), before.lastIndexOf('\n')) + 1;
	return { start, prefix: before.slice(start) };
}

/** People to offer: those of the open conversation first, then everyone else, by name. */
function people(state: ChatState): string[] {
	const group = openGroupName(state);
	const near = new Set<string>();
	if (group) for (const member of state.members[group] ?? []) near.add(member.name);
	if (state.open?.startsWith('user:')) near.add(state.open.slice('user:'.length));
	for (const id of [...state.order].reverse())
		if (id.startsWith('user:')) near.add(id.slice('user:'.length));
	const names = state.users.map((user) => user.name).filter((name) => name !== state.me);
	return [...names.filter((name) => near.has(name)), ...names.filter((name) => !near.has(name))];
}

/** What the word at the cursor could become, with what follows it; undefined: nothing to complete. */
function candidatesFor(
	state: ChatState,
	input: TextInput,
	word: Word,
): { names: string[]; lead: string; suffix: string } | undefined {
	const firstLine = !input.text.slice(0, word.start).includes('\n');
	const before = input.text.slice(0, word.start).trimEnd();
	const command =
		firstLine && before.startsWith('/') ? before.split(/\s+/)[0]!.slice(1) : undefined;
	if (word.start === 0 && word.prefix.startsWith('/') && !word.prefix.startsWith('//'))
		return { names: commandNames.map((name) => `/${name}`), lead: '', suffix: ' ' };
	if (word.prefix.startsWith('@')) return { names: people(state), lead: '@', suffix: ' ' };
	if (command !== undefined) {
		const members = new Set(
			(state.members[openGroupName(state) ?? ''] ?? []).map((member) => member.name),
		);
		switch (command.toLowerCase()) {
			case 'dm':
			case 'msg':
			case 'query':
				return { names: people(state), lead: '', suffix: ' ' };
			case 'group':
			case 'join':
				return { names: state.groups.map((group) => group.name), lead: '', suffix: ' ' };
			case 'invite':
			case 'add':
				return {
					names: people(state).filter((name) => !members.has(name)),
					lead: '',
					suffix: ' ',
				};
			case 'kick':
			case 'remove':
				return {
					names: [...members].filter((name) => name !== state.me),
					lead: '',
					suffix: ' ',
				};
			default:
				return undefined;
		}
	}
	// A name at the start of a line addresses someone: `josie: `.
	if (word.start === 0 && word.prefix !== '')
		return { names: people(state), lead: '', suffix: ': ' };
	return undefined;
}

/**
 * Tab in the input line: completes the word at the cursor, or takes the next candidate of the
 * completion under way. Returns undefined when there is nothing to complete (an empty line, or
 * after a space in a message): Tab then moves the focus.
 */
export function completeInput(
	state: ChatState,
	input: TextInput,
	previous: Completion | undefined,
): { input: TextInput; completion: Completion | undefined } | undefined {
	if (previous && previous.result === input.text && previous.candidates.length > 0) {
		return build(
			previous.base,
			previous.start,
			previous.candidates,
			(previous.index + 1) % previous.candidates.length,
		);
	}
	if (input.text.trim() === '') return undefined;
	const word = wordAt(input);
	const found = candidatesFor(state, input, word);
	if (!found) return undefined;
	const typed = word.prefix.slice(found.lead.length).toLowerCase();
	const matches = found.names
		.filter((name) => name.toLowerCase().startsWith(typed))
		.map((name) => `${found.lead}${name}${found.suffix}`);
	// Something to complete, but no match: Tab does nothing (as WeeChat), rather than move away.
	if (matches.length === 0) return { input, completion: undefined };
	return build(input, word.start, matches, 0);
}

function build(base: TextInput, start: number, candidates: readonly string[], index: number) {
	const choice = candidates[index]!;
	const before = base.text.slice(0, start);
	// The word under the cursor is replaced whole, and what followed it stays.
	const rest = base.text.slice(base.cursor).replace(/^\S*/, '');
	const trimmedRest = choice.endsWith(' ') && rest.startsWith(' ') ? rest.slice(1) : rest;
	const text = before + choice + trimmedRest;
	const completion: Completion = { base, start, candidates, index, result: text };
	return { input: { text, cursor: before.length + choice.length }, completion };
}
