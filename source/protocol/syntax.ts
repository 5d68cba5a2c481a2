const tokenCharacters =
	"!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * 1 for each byte (or UTF-16 code unit below 256) that is an RFC 9110 token character, what a
 * header name may be made of; else 0.
 */
export const tokenByte = new Uint8Array(256);
for (const character of tokenCharacters) tokenByte[character.charCodeAt(0)] = 1;

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
