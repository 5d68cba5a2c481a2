/** A piece of a line: plain text, or an `@name` (of the reader, or of someone else). */
export type MentionPart = { readonly text: string; readonly mention?: 'me' | 'other' };

// A name after `@`, not inside a word or an address (`a@b.c` is no mention); a final dot is
// punctuation ("thanks @josie.").
const mentionPattern = /(?<![\w.@-])@([a-z0-9_.-]*[a-z0-9_-])/giu;

/** Splits a line into plain text and mentions, marking those of `me`. */
export function splitMentions(line: string, me: string | undefined): MentionPart[] {
	const parts: MentionPart[] = [];
	let last = 0;
	for (const match of line.matchAll(mentionPattern)) {
		const start = match.index;
		if (start > last) parts.push({ text: line.slice(last, start) });
		const name = match[1]!.toLowerCase();
		parts.push({ text: match[0], mention: name === me ? 'me' : 'other' });
		last = start + match[0].length;
	}
	if (last < line.length || parts.length === 0) parts.push({ text: line.slice(last) });
	return parts;
}

/** Whether `body` mentions `me` (`@me`, any case). */
export function mentions(body: string, me: string): boolean {
	for (const match of body.matchAll(mentionPattern)) {
		if (match[1]!.toLowerCase() === me) return true;
	}
	return false;
}
