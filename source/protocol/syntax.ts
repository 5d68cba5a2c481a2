/** RFC 9110 token characters: what a header name may be made of. */
export const headerNamePattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** A verb is letters and underscores (PROTOCOL.md §4 spells them upper-case). */
export const verbPattern = /^[A-Za-z_]+$/;

/** `CHAT/<major>.<minor>`; the prefix is matched case-insensitively for hand-typed requests. */
export const versionPattern = /^CHAT\/([0-9]+)\.([0-9]+)$/i;

const quoteLimit = 60;

/** Quotes peer text for an error message, shortened so a message stays readable. */
export function quote(text: string): string {
	const short = text.length > quoteLimit ? `${text.slice(0, quoteLimit)}…` : text;
	return JSON.stringify(short);
}
