import { Box, Text } from 'ink';
import type { ChatMessage } from '../../client/index.js';
import { jumpToMessage, searchAgain } from '../actions/search-actions.js';
import { useChatActions, useChatState } from '../hooks/use-chat.js';
import { useKeypress } from '../hooks/use-keypress.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { useTextField } from '../hooks/use-text-field.js';
import { commandFor } from '../keys/match-key.js';
import { conversationOf, parseConversationId } from '../state/chat-state.js';
import type { SearchOverlay } from '../state/search-results.js';
import { safeLine } from '../text/safe-text.js';
import { highlightMatches } from '../text/search-highlight.js';
import { fit, truncate } from '../text/text-width.js';
import { clockTime } from '../text/time-format.js';
import { DialogFrame } from './DialogFrame.js';
import { keyPriority } from './KeypressProvider.js';
import { TextField } from './TextField.js';

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `25 Nov 14:02`, local. */
function shortDate(iso: string): string {
	const date = new Date(iso);
	if (Number.isNaN(date.getTime())) return '';
	return `${date.getDate()} ${months[date.getMonth()]} ${clockTime(date)}`;
}

function ResultLine({
	message,
	me,
	words,
	selected,
	width,
}: {
	readonly message: ChatMessage;
	readonly me: string | undefined;
	readonly words: string;
	readonly selected: boolean;
	readonly width: number;
}) {
	const { kind, name } = parseConversationId(conversationOf(message, me));
	const where = fit(`${kind === 'group' ? '#' : '@'}${safeLine(name)}`, 14);
	const lead = `${selected ? '› ' : '  '}${where} ${fit(safeLine(message.from), 10)} ${fit(shortDate(message.date), 13)} `;
	const text = truncate(
		safeLine(message.body.replace(/\s+/g, ' ')),
		Math.max(8, width - lead.length),
	);
	return (
		<Text wrap="truncate" inverse={selected}>
			<Text dimColor={!selected}>{lead}</Text>
			{highlightMatches(text, words).map((part, index) =>
				part.match ? (
					<Text key={index} bold color="yellow">
						{part.text}
					</Text>
				) : (
					part.text
				),
			)}
		</Text>
	);
}

/**
 * Ctrl+F or /search: the words at the top, the messages found below (newest first). Enter
 * searches for what was typed, or, with the words unchanged, jumps to the chosen message.
 */
export function SearchDialog({
	search,
	width,
	height,
}: {
	readonly search: SearchOverlay;
	readonly width: number;
	readonly height: number;
}) {
	const actions = useChatActions();
	const me = useChatState((state) => state.me);
	const field = useTextField({ text: search.words, cursor: search.words.length });
	const [index, setIndex, readIndex] = useSyncState(0);
	const visible = Math.max(1, Math.min(12, height - 9));
	const selected = Math.min(index, Math.max(0, search.results.length - 1));

	useKeypress(
		(key) => {
			const overlay = actions.getState().overlay;
			if (overlay?.kind !== 'search') return true;
			const at = Math.min(readIndex(), Math.max(0, overlay.results.length - 1));
			const command = commandFor(key, ['dialog', 'list']);
			const words = field.read().text.trim();
			if (command === 'close') actions.dispatch({ type: 'overlay-closed' });
			else if (command === 'accept') {
				const chosen = overlay.results[at];
				if (words !== overlay.words || overlay.status === 'idle' || overlay.status === 'failed') {
					if (words !== '') {
						setIndex(0);
						void searchAgain(actions, words);
					}
				} else if (chosen) void jumpToMessage(actions, chosen);
			} else if (command === 'list-next') setIndex(Math.min(overlay.results.length - 1, at + 1));
			else if (command === 'list-previous') setIndex(Math.max(0, at - 1));
			else field.handleKey(key);
			return true;
		},
		{ priority: keyPriority.overlay },
	);

	const sigil = useChatState((state) =>
		state.groups.some((group) => group.name === search.in) ? '#' : '@',
	);
	const where = search.in ? `in ${sigil}${safeLine(search.in)}` : 'in every conversation';
	const start = Math.max(0, Math.min(selected - visible + 1, search.results.length - visible));
	const status =
		search.status === 'loading'
			? 'Searching…'
			: search.status === 'idle'
				? 'Type words and press Enter (word* matches the start of words).'
				: search.status === 'done' && search.results.length === 0
					? 'Nothing found.'
					: search.status === 'done'
						? `${search.results.length} found, newest first`
						: undefined;
	return (
		<DialogFrame
			title={`Search ${where}`}
			width={width}
			error={search.status === 'failed' ? search.error : undefined}
			footer="Enter search / go to the message · ↑/↓ choose · Esc close"
		>
			<Box>
				<Text color="cyan">› </Text>
				<TextField input={field.input} focused width={width - 8} placeholder="words to find" />
			</Box>
			{status ? <Text dimColor>{status}</Text> : null}
			<Box flexDirection="column" marginTop={1}>
				{search.results.slice(start, start + visible).map((message) => (
					<ResultLine
						key={message.id}
						message={message}
						me={me}
						words={search.words}
						selected={message === search.results[selected]}
						width={width - 4}
					/>
				))}
			</Box>
		</DialogFrame>
	);
}
