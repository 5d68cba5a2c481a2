import type { ChatMessage } from '../../client/index.js';
import type { TimelineItem } from '../state/timeline.js';
import { safeLine } from '../text/safe-text.js';
import { truncate } from '../text/text-width.js';

/** The first words of a text on one line, cut to `width` columns with `…`. */
export function firstWords(text: string, width: number): string {
	return truncate(safeLine(text.replace(/\s+/g, ' ').trim()), width);
}

/** The message with id `id` among id-sorted `messages`, by binary search. */
export function findMessage(
	messages: readonly TimelineItem[],
	id: number,
): TimelineItem | undefined {
	let low = 0;
	let high = messages.length - 1;
	while (low <= high) {
		const middle = (low + high) >> 1;
		const item = messages[middle]!;
		if (item.id === id) return item.note === undefined ? item : undefined;
		if (item.id < id) low = middle + 1;
		else high = middle - 1;
	}
	return undefined;
}

/** What a quoted message says: `alice: first words…`, or why it cannot be shown. */
export function quoteOf(quoted: ChatMessage | undefined, width: number): string {
	if (!quoted) return 'a message not loaded';
	if (quoted.deleted) return 'message deleted';
	const who = `${safeLine(quoted.from)}: `;
	return `${who}${firstWords(quoted.body, Math.max(4, width - who.length))}`;
}

/** The dim line above a reply: `↳ alice: first words…` (undefined: it replies to nothing). */
export function replyQuote(
	messages: readonly TimelineItem[],
	message: TimelineItem,
	width: number,
): string | undefined {
	if (!message.replyTo || message.note === 'event') return undefined;
	return `↳ ${quoteOf(findMessage(messages, message.replyTo), width - 2)}`;
}
