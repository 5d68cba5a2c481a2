import type { TimelineItem } from '../state/timeline.js';
import { replyQuote } from './reply-quote.js';
import { selectedRows, withMarker } from './row-marks.js';
import { splitMentions } from '../text/mentions.js';
import { safeBody, safeLine } from '../text/safe-text.js';
import { fit, textWidth } from '../text/text-width.js';
import { clockTime, dayKey, longDay } from '../text/time-format.js';
import { wrapText } from '../text/wrap-text.js';

export type RowStyle =
	| 'time'
	| 'nick'
	| 'separator'
	| 'text'
	| 'mention'
	| 'mention-me'
	| 'day'
	| 'note'
	| 'pending'
	| 'marker'
	/** The quoted line above a reply, and "(edited)". */
	| 'quote'
	/** The separator of the message picked in selection mode. */
	| 'selected';
export type RowPart = { readonly text: string; readonly style: RowStyle; readonly color?: string };
/**
 * One screen line of the message view. A message's rows carry its id, and their parts up to the
 * `separator` are the lead (time, sender, `│`); day and banner rows are one part, full width.
 */
export type Row = {
	readonly key: string;
	readonly parts: readonly RowPart[];
	/** The id of the message the row shows (none on day and banner rows). */
	readonly message?: number;
};

export type LayoutOptions = {
	/** Columns available to the message view. */
	readonly width: number;
	/** The reader, whose name is highlighted where mentioned. */
	readonly me: string | undefined;
};

const nickColors = ['cyan', 'green', 'yellow', 'magenta', 'blueBright', 'greenBright', 'redBright'];

/** A stable colour per sender, so a conversation is easy to follow. */
function nickColor(name: string, me: string | undefined): string {
	if (name === me) return 'white';
	let hash = 0;
	for (const character of name) hash = (hash * 31 + character.codePointAt(0)!) >>> 0;
	return nickColors[hash % nickColors.length]!;
}

/** The columns of a message line: time, sender, ` │ `, text; narrower views drop the time. */
export function messageColumns(width: number) {
	const time = width >= 44 ? 6 : 0;
	const nick = width >= 70 ? 12 : 8;
	return { time, nick, body: Math.max(4, width - time - nick - 3) };
}

const cache = new WeakMap<TimelineItem, { key: string; rows: readonly Row[] }>();

/**
 * Every row of a whole conversation (day separators included): what `messageWindow` avoids doing
 * on each frame; the tests compare the window against it.
 */
export function layoutMessages(messages: readonly TimelineItem[], options: LayoutOptions): Row[] {
	return messages.flatMap((message, index) =>
		layoutMessage(
			message,
			messages[index - 1],
			options,
			replyQuote(messages, message, messageColumns(options.width).body),
		),
	);
}

/**
 * The rows of one message, after a day separator when its day differs from `previous`'s. Pure;
 * results are memoised per message object, so scrolling a long history wraps each message once.
 */
export function layoutMessage(
	message: TimelineItem,
	previous: TimelineItem | undefined,
	options: LayoutOptions,
	/** The line quoting the message this one replies to (see replyQuote). */
	quote?: string,
): readonly Row[] {
	const date = new Date(message.date);
	const newDay = previous === undefined || dayKey(new Date(previous.date)) !== dayKey(date);
	const key = `${options.width}|${options.me ?? ''}|${newDay}|${quote ?? ''}`;
	const cached = cache.get(message);
	if (cached?.key === key) return cached.rows;
	const rows: Row[] = [];
	if (newDay) rows.push(dayRow(`${message.id}:day`, longDay(date), options.width));
	const columns = messageColumns(options.width);
	const time = columns.time ? fit(clockTime(date), columns.time) : '';
	// Continuation rows: the blank time and sender columns and the separator, in one dim part.
	const indent = `${' '.repeat(columns.time + columns.nick)} │ `;
	if (message.note === 'event') {
		// Our own words (names are a-z 0-9 _ - .), dim: `12:04      — │ alice made carol an admin`.
		wrapText(safeBody(message.body), columns.body).forEach((line, index) => {
			const lead: RowPart[] =
				index === 0
					? [
							{ text: time, style: 'time' },
							{ text: fit('—', columns.nick, 'right'), style: 'note' },
							{ text: ' │ ', style: 'separator' },
						]
					: [{ text: indent, style: 'separator' }];
			rows.push({
				key: `${message.id}:${index}`,
				parts: [...lead, { text: line, style: 'note' }],
				message: message.id,
			});
		});
		cache.set(message, { key, rows });
		return rows;
	}
	const pending = message.note === 'pending';
	// A message waiting for the server: dim, with a clock where its time will be.
	const shownTime = pending && columns.time ? fit('◷', columns.time) : time;
	const sender = fit(safeLine(message.from), columns.nick, 'right');
	if (quote) {
		rows.push({
			key: `${message.id}:quote`,
			parts: [
				{ text: indent, style: 'separator' },
				{ text: fit(quote, columns.body), style: 'quote' },
			],
			message: message.id,
		});
	}
	const lines = message.deleted
		? ['message deleted']
		: wrapText(safeBody(message.body), columns.body);
	// "(edited)" after the text: on its last line if it fits there, else on a line of its own.
	const edited = message.edited !== undefined && !message.deleted;
	const editedOwnLine = edited && textWidth(`${lines.at(-1)!} (edited)`) > columns.body;
	if (editedOwnLine) lines.push('');
	lines.forEach((line, index) => {
		const lead: RowPart[] =
			index === 0
				? [
						{ text: shownTime, style: 'time' },
						pending
							? { text: sender, style: 'pending' }
							: { text: sender, style: 'nick', color: nickColor(message.from, options.me) },
						{ text: ' │ ', style: 'separator' },
					]
				: [{ text: indent, style: 'separator' }];
		const body: RowPart[] = message.deleted
			? [{ text: line, style: 'note' }]
			: pending
				? [{ text: line, style: 'pending' }]
				: splitMentions(line, options.me).map((part): RowPart => ({
						text: part.text,
						style: part.mention === 'me' ? 'mention-me' : part.mention ? 'mention' : 'text',
					}));
		if (edited && index === lines.length - 1)
			body.push({ text: editedOwnLine ? '(edited)' : ' (edited)', style: 'quote' });
		rows.push({ key: `${message.id}:${index}`, parts: [...lead, ...body], message: message.id });
	});
	cache.set(message, { key, rows });
	return rows;
}

function dayRow(key: string, label: string, width: number): Row {
	const text = ` ${label} `;
	const side = Math.max(2, Math.floor((width - textWidth(text)) / 2));
	const line = `${'─'.repeat(side)}${text}${'─'.repeat(Math.max(2, width - side - textWidth(text)))}`;
	return { key, parts: [{ text: fit(line, width), style: 'day' }] };
}

/**
 * Where the view is scrolled to: undefined follows the newest message; otherwise the bottom screen
 * line is in message `anchorId`, with `offset` of that message's rows hidden below the view.
 * Anchoring on a message keeps the view still while history is prepended or messages arrive.
 */
export type Scroll =
	| { readonly anchorId: number; readonly offset: number }
	/** The top screen line is the first of message `topId` (the "new messages" line, if there). */
	| { readonly topId: number }
	| undefined;

export type ViewOptions = LayoutOptions & {
	readonly height: number;
	/** A line above the oldest message ("Beginning of the conversation"), scrolled with it. */
	readonly banner?: string;
	/** The "new messages" line stands above the first message with an id at or above this. */
	readonly marker?: number;
	/** The message picked in selection mode, drawn with a bright `▶` separator. */
	readonly selected?: number;
};

export type MessageWindow = {
	readonly rows: readonly Row[];
	/** The oldest loaded message's first row is in view: time to load older history. */
	readonly atOldest: boolean;
	/** Messages below the view (0 when following the newest). */
	readonly newer: number;
};

function blockAt(
	messages: readonly TimelineItem[],
	index: number,
	options: ViewOptions,
): readonly Row[] {
	const message = messages[index]!;
	const quote = replyQuote(messages, message, messageColumns(options.width).body);
	let rows = layoutMessage(message, messages[index - 1], options, quote);
	if (message.id === options.selected) rows = selectedRows(rows);
	const { marker } = options;
	// Above the first message at or after the marker's position.
	const previous = messages[index - 1];
	if (marker !== undefined && message.id >= marker && (!previous || previous.id < marker))
		rows = withMarker(rows, options.width);
	if (index !== 0 || !options.banner) return rows;
	return [
		{ key: 'banner', parts: [{ text: fit(options.banner, options.width), style: 'day' }] },
		...rows,
	];
}

/** The index of the first message with an id ≥ `id` (the last one if none). */
function indexFrom(messages: readonly TimelineItem[], id: number): number {
	let low = 0;
	let high = messages.length - 1;
	while (low < high) {
		const middle = (low + high) >> 1;
		if (messages[middle]!.id < id) low = middle + 1;
		else high = middle;
	}
	return low;
}

/** The bottom line that puts message `topId` at the top of the view (the newest, if it fits). */
function fromTop(messages: readonly TimelineItem[], topId: number, options: ViewOptions) {
	let index = indexFrom(messages, topId);
	let count = blockAt(messages, index, options).length;
	while (count < options.height && index < messages.length - 1) {
		index += 1;
		count += blockAt(messages, index, options).length;
	}
	return { index, offset: Math.max(0, count - options.height) };
}

/** The index of the last message with an id ≤ `id` (0 if none), by binary search. */
function indexOf(messages: readonly TimelineItem[], id: number): number {
	let low = 0;
	let high = messages.length - 1;
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		if (messages[middle]!.id <= id) low = middle;
		else high = middle - 1;
	}
	return low;
}

function resolve(messages: readonly TimelineItem[], scroll: Scroll, options: ViewOptions) {
	if (!scroll) return { index: messages.length - 1, offset: 0 };
	if ('topId' in scroll) return fromTop(messages, scroll.topId, options);
	return { index: indexOf(messages, scroll.anchorId), offset: scroll.offset };
}

/**
 * Only the rows on screen: walks back from the bottom line for `height` rows, so the cost is the
 * view's size, not the conversation's.
 */
export function messageWindow(
	messages: readonly TimelineItem[],
	scroll: Scroll,
	options: ViewOptions,
): MessageWindow {
	if (messages.length === 0 || options.height <= 0) {
		return { rows: [], atOldest: true, newer: 0 };
	}
	const { index, offset } = resolve(messages, scroll, options);
	const bottom = blockAt(messages, index, options);
	const chunks: (readonly Row[])[] = [bottom.slice(0, Math.max(1, bottom.length - offset))];
	let count = chunks[0]!.length;
	let top = index;
	while (count < options.height && top > 0) {
		top -= 1;
		const block = blockAt(messages, top, options);
		chunks.push(block);
		count += block.length;
	}
	const rows = chunks.reverse().flat();
	return {
		rows: rows.slice(Math.max(0, rows.length - options.height)),
		atOldest: top === 0 && count <= options.height,
		newer: messages.length - 1 - index,
	};
}

/** Rows from the top of the oldest message down to the bottom line, counted up to `cap`. */
function rowsThrough(
	messages: readonly TimelineItem[],
	index: number,
	offset: number,
	options: ViewOptions,
) {
	let count = blockAt(messages, index, options).length - offset;
	for (let top = index; count < options.height && top > 0;) {
		top -= 1;
		count += blockAt(messages, top, options).length;
	}
	return count;
}

function scrollDown(
	messages: readonly TimelineItem[],
	index: number,
	offset: number,
	rows: number,
	options: ViewOptions,
): Scroll {
	let at = index;
	let hidden = offset - rows;
	while (hidden < 0) {
		if (at === messages.length - 1) return undefined;
		at += 1;
		hidden += blockAt(messages, at, options).length;
	}
	return at === messages.length - 1 && hidden === 0
		? undefined
		: { anchorId: messages[at]!.id, offset: hidden };
}

/** Scrolls `rows` lines back in time (negative: forward), never past the oldest or newest line. */
export function scrollMessages(
	messages: readonly TimelineItem[],
	scroll: Scroll,
	rows: number,
	options: ViewOptions,
): Scroll {
	if (messages.length === 0 || rows === 0) return scroll;
	const start = resolve(messages, scroll, options);
	if (rows < 0) return scrollDown(messages, start.index, start.offset, -rows, options);
	let { index, offset } = start;
	offset += rows;
	let size = blockAt(messages, index, options).length;
	while (offset >= size && index > 0) {
		offset -= size;
		index -= 1;
		size = blockAt(messages, index, options).length;
	}
	offset = Math.min(offset, size - 1);
	// Never leave blank lines above the oldest message: the view stays full.
	const filled = rowsThrough(messages, index, offset, options);
	if (filled < options.height)
		return scrollDown(messages, index, offset, options.height - filled, options);
	return { anchorId: messages[index]!.id, offset };
}
