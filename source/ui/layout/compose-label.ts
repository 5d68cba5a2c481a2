import type { Compose } from '../state/message-selection.js';
import { quoteOf } from './reply-quote.js';

/**
 * What the input box says over its border while a reply or an edit is written:
 * ` ↳ replying to alice: first words… · Esc cancels ` or ` editing your message · … `.
 */
export function composeLabel(compose: Compose, width: number): string {
	if (compose.mode === 'edit') return ' editing your message · Enter saves · Esc cancels ';
	const tail = ' · Esc cancels ';
	const room = Math.max(8, width - ' ↳ replying to '.length - tail.length);
	return ` ↳ replying to ${quoteOf(compose.message, room)}${tail}`;
}
